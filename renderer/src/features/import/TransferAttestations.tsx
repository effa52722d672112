import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import type { ImportJobResult } from '../../../../shared/rpc.js';
import { Digest } from '../../components/Digest';
import { MONO } from '../../core/theme';

type Imported = ImportJobResult['artifacts'][number];

const STORED_WORDS = { tag: "in cosign's attestation tag", referrer: 'as an OCI referrer' } as const;

/** After a push: the signed transfer attestation attached to each artifact, and what was carried beside it. */
export function TransferAttestations({ artifacts }: { artifacts: Imported[] }) {
  const id = useId();
  const attested = artifacts.filter((a) => a.attestation !== undefined || a.attestationProblem !== undefined);
  if (attested.length === 0) return null;
  return (
    <Box component="section" aria-labelledby={id}>
      <Typography variant="h3" id={id} sx={{ mb: 0.5 }}>
        Provenance in the registry
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 1.5, maxWidth: '80ch' }}>
        Each artifact now carries a transfer attestation signed with this site's key: the bundle, both sites' keys and ledgers, the approval and the media. An
        admission policy or anyone with this site's public key can check it; the signatures the publisher attached came along unchanged.
      </Typography>
      <Box component="ul" aria-label="Transfer attestations" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 1.5 }}>
        {attested.map((a) => (
          <li key={`${a.kind} ${a.ref}`}>
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block', fontFamily: MONO }}>
              {a.destination ?? a.ref}
            </Typography>
            {a.attestation ? (
              <>
                <Typography variant="body2">
                  Attested {STORED_WORDS[a.attestation.stored]}
                  {a.attached
                    ? `; ${a.attached} signed ${a.attached === 1 ? 'item' : 'items'} the publisher attached (signatures, attestations, SBOMs) pushed beside it`
                    : ''}
                </Typography>
                <Digest value={a.attestation.envelope} label={`transfer attestation of ${a.ref}`} />
              </>
            ) : (
              <Typography variant="body2" sx={{ fontWeight: 600 }}>
                Pushed, but not attested: {a.attestationProblem} Ask the registry's administrator to allow tags named sha256-….att in this repository.
              </Typography>
            )}
          </li>
        ))}
      </Box>
    </Box>
  );
}

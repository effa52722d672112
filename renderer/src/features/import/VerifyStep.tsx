import GppBadOutlinedIcon from '@mui/icons-material/GppBadOutlined';
import VerifiedUserOutlinedIcon from '@mui/icons-material/VerifiedUserOutlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';
import type { VerifyJobResult } from '../../../../shared/rpc.js';
import { SimpleTable } from '../../components/SimpleTable';
import { Bytes } from '../../components/Bytes';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StepActions, StepHeading } from '../../components/StepParts';
import { TrustKeyDialog } from '../../domain/keys/TrustKeyDialog';
import { toErrorEnvelope } from '../../client';
import { artifactKindText, bundleAttachment } from '../../lib/artifacts';
import { MONO, monoSmall } from '../../core/theme';
import { useJob } from '../../domain/jobs/jobs';
import { verifyResultOf } from '../../domain/jobs/results';
import { REFUSAL_CODES, useImport } from './importStore';
import { OverrideDialog } from './OverrideDialog';
import { Term } from '../../components/Term';

type VolumeStatus = VerifyJobResult['volumes'][number]['status'];

const VOLUME_STATUS: Record<VolumeStatus, { label: string; color: 'success' | 'error' | 'default' }> = {
  ok: { label: 'OK', color: 'success' },
  missing: { label: 'Missing', color: 'error' },
  mismatch: { label: 'Damaged', color: 'error' },
  'wrong-size': { label: 'Damaged', color: 'error' },
  unchecked: { label: 'Checked during the import', color: 'default' },
};

/** Step 2: the verification in plain words: who signed, whether trusted, every volume, the contents. */
export function VerifyStep() {
  const verifyJobId = useImport((s) => s.verifyJobId);
  const job = useJob(verifyJobId);
  const result = verifyResultOf(job);
  const { chooseAnother, verify, setStep } = useImport.getState();
  const [trustOpen, setTrustOpen] = useState(false);
  const [overrideOpen, setOverrideOpen] = useState(false);
  const dir = useImport((s) => s.dir);
  const override = useImport((s) => s.override);
  const overridden = (seq: number) => {
    setOverrideOpen(false);
    useImport.getState().setOverride({ seq });
    void verify();
  };

  const chooseAnotherButton = <Button onClick={chooseAnother}>Choose another folder</Button>;

  if (!job || (job.state === 'failed' && !result)) {
    const envelope = job?.error ? toErrorEnvelope(job.error) : null;
    const untrustedFingerprint = envelope?.code === 'UNTRUSTED' && typeof envelope.details?.fingerprint === 'string' ? envelope.details.fingerprint : null;
    const refused = envelope && REFUSAL_CODES.has(envelope.code) && !untrustedFingerprint;
    return (
      <Box>
        <StepHeading title="Verify" />
        {!envelope ? (
          <Alert severity="warning">There is no verification to show. Choose the bundle folder and verify it.</Alert>
        ) : untrustedFingerprint ? (
          <UntrustedPanel
            fingerprint={untrustedFingerprint}
            onTrust={() => setTrustOpen(true)}
            onOverride={() => setOverrideOpen(true)}
            onVerifyAgain={() => void verify()}
          />
        ) : refused ? (
          <RefusedAlert>{envelope.message}</RefusedAlert>
        ) : (
          <ErrorAlert error={envelope} title="The bundle could not be verified" />
        )}
        <StepActions back={chooseAnotherButton}>
          {envelope && !refused && !untrustedFingerprint && (
            <Button variant="contained" onClick={() => void verify()}>
              Verify again
            </Button>
          )}
        </StepActions>
        {untrustedFingerprint && (
          <OverrideDialog open={overrideOpen} dir={dir} fingerprint={untrustedFingerprint} onClose={() => setOverrideOpen(false)} onRecorded={overridden} />
        )}
        {untrustedFingerprint && (
          <TrustDialog
            open={trustOpen}
            fingerprint={untrustedFingerprint}
            onClose={() => setTrustOpen(false)}
            onTrusted={() => {
              setTrustOpen(false);
              void verify();
            }}
          />
        )}
      </Box>
    );
  }

  if (!result) {
    return (
      <Box>
        <StepHeading title="Verify" />
        <Alert severity="info">The verification has not finished yet.</Alert>
        <StepActions back={chooseAnotherButton} />
      </Box>
    );
  }

  const integrityProblems = result.problems.filter((p) => p.code !== 'UNTRUSTED');
  const refused = integrityProblems.length > 0;
  const untrusted = !result.signer.trusted;
  const fine = !refused && !untrusted && result.ok;
  const readBack = result.volumes.every((v) => v.status !== 'unchecked');

  return (
    <Box>
      <StepHeading title="Verify" />

      <Stack spacing={2.5}>
        {refused && (
          <RefusedAlert>
            Ferry will not import this bundle: {integrityProblems.length === 1 ? 'a file is' : 'files are'} damaged, missing or altered. Copy the bundle again
            from its media, or ask the exporting site for a new one.
          </RefusedAlert>
        )}
        {fine && readBack && (
          <Alert severity="success" icon={<VerifiedUserOutlinedIcon />}>
            <AlertTitle>Signed by a trusted key, and every volume read back intact</AlertTitle>
            Every volume matches its signed checksum. The import checks every byte again as it writes, and commits nothing until all of it matches. Nothing has
            been written yet: choose where to import it next.
          </Alert>
        )}
        {fine && override && (
          <Alert severity="warning" role="status">
            <AlertTitle>Under an override</AlertTitle>
            This bundle's signer is not trusted here: an officer approved importing this one bundle anyway (ledger line {override.seq}). The key stays untrusted
            for every other bundle.
          </Alert>
        )}
        {fine && !readBack && (
          <Alert severity="success" icon={<VerifiedUserOutlinedIcon />}>
            <AlertTitle>Signed by a trusted key: ready to import</AlertTitle>
            The signature, the signing key, the bundle index and every manifest check out. The import reads each volume once and checks every byte as it goes:
            nothing is committed to any target until all of it matches. To read the media back before choosing where to import, choose Read the media back.
          </Alert>
        )}

        <Paper variant="outlined" sx={{ p: 2 }}>
          <Stack direction="row" spacing={1.5} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
            <Typography component="span" sx={{ fontWeight: 600 }}>
              Signed by
            </Typography>
            {result.signer.name && <Typography component="span">{result.signer.name}</Typography>}
            <Digest value={result.signer.fingerprint} label="signer fingerprint" size="body" grouped />
            <Chip
              label={result.signer.revoked ? 'Revoked' : result.signer.trusted ? 'Trusted' : 'Not trusted'}
              color={result.signer.trusted ? 'success' : 'warning'}
              icon={result.signer.trusted ? <VerifiedUserOutlinedIcon /> : <GppBadOutlinedIcon />}
            />
          </Stack>
          <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: '160px 1fr', columnGap: 2, rowGap: 0.75, m: 0, mt: 2, alignItems: 'center' }}>
            <Term>Bundle</Term>
            <Typography component="dd" sx={{ m: 0, fontFamily: MONO, fontSize: '0.875rem' }}>
              {result.name}
            </Typography>
            <Term>Bundle digest</Term>
            <Box component="dd" sx={{ m: 0 }}>
              <Digest value={result.bundleDigest} label="bundle digest" />
            </Box>
            <Term>Created</Term>
            <Typography component="dd" sx={{ m: 0 }}>
              <DateTime iso={result.createdAt} /> by {result.createdBy.operator} on {result.createdBy.host} (Ferry {result.createdBy.ferryVersion})
            </Typography>
          </Box>
        </Paper>

        {result.signer.revoked ? (
          <RefusedAlert>
            The key of {result.signer.name ?? 'this signer'} was revoked at <DateTime iso={result.signer.revoked.at} /> by {result.signer.revoked.by.name}:{' '}
            {result.signer.revoked.reason}. Ferry refuses every bundle it signed. Ask the exporting site which key it signs with now, and for a bundle signed
            with it.
          </RefusedAlert>
        ) : (
          untrusted &&
          !refused && (
            <UntrustedPanel
              fingerprint={result.signer.fingerprint}
              onTrust={() => setTrustOpen(true)}
              onOverride={() => setOverrideOpen(true)}
              onVerifyAgain={() => void verify()}
            />
          )
        )}

        {integrityProblems.map((p, i) => (
          <Alert severity="error" key={`${p.code}-${i}`} data-problem-code={p.code}>
            {p.message}
          </Alert>
        ))}

        <Box>
          <Typography variant="h3" sx={{ mb: 1 }}>
            Volumes
          </Typography>
          <SimpleTable label="Volumes checked" columns={['File', { label: 'Size', align: 'right' }, 'Expected SHA-256', 'Result']}>
            {result.volumes.map((v) => {
              const status = VOLUME_STATUS[v.status];
              return (
                <TableRow key={v.file}>
                  <TableCell sx={monoSmall}>{v.file}</TableCell>
                  <TableCell align="right">
                    <Bytes value={v.size} />
                  </TableCell>
                  <TableCell>
                    <Digest value={v.expected} label={`expected SHA-256 of ${v.file}`} short />
                  </TableCell>
                  <TableCell>
                    <Chip size="small" label={status.label} color={status.color} variant={v.status === 'ok' ? 'outlined' : 'filled'} />
                  </TableCell>
                </TableRow>
              );
            })}
          </SimpleTable>
        </Box>

        <Box>
          <Typography variant="h3" sx={{ mb: 1 }}>
            Contents
          </Typography>
          <SimpleTable label="Bundle contents" columns={['Artifact', 'Kind', { label: 'Size', align: 'right' }, 'Digest']}>
            {result.artifacts.map((a) => (
              <TableRow key={a.digest + a.ref}>
                <TableCell sx={monoSmall}>{a.ref}</TableCell>
                <TableCell>{artifactKindText(a.kind, bundleAttachment(a))}</TableCell>
                <TableCell align="right">
                  <Bytes value={a.contentSize} />
                </TableCell>
                <TableCell>
                  <Digest value={a.digest} label={`digest of ${a.ref}`} short />
                </TableCell>
              </TableRow>
            ))}
          </SimpleTable>
        </Box>
      </Stack>

      <StepActions back={chooseAnotherButton}>
        {fine && !readBack && <Button onClick={() => void verify({ readBack: true })}>Read the media back</Button>}
        {fine && (
          <Button variant="contained" onClick={() => setStep(2)}>
            Next
          </Button>
        )}
      </StepActions>

      <OverrideDialog open={overrideOpen} dir={dir} fingerprint={result.signer.fingerprint} onClose={() => setOverrideOpen(false)} onRecorded={overridden} />
      <TrustDialog
        open={trustOpen}
        fingerprint={result.signer.fingerprint}
        onClose={() => setTrustOpen(false)}
        onTrusted={() => {
          setTrustOpen(false);
          void verify();
        }}
      />
    </Box>
  );
}

function RefusedAlert({ children }: { children: ReactNode }) {
  return (
    <Alert severity="error" variant="filled" icon={<GppBadOutlinedIcon />}>
      <AlertTitle>Refused: nothing was written</AlertTitle>
      {children}
    </Alert>
  );
}

function TrustDialog({ open, fingerprint, onClose, onTrusted }: { open: boolean; fingerprint: string; onClose: () => void; onTrusted: () => void }) {
  return <TrustKeyDialog open={open} expectedFingerprint={fingerprint} onClose={onClose} onTrusted={onTrusted} />;
}

/** An untrusted signer: the fingerprint, what to compare it with, and the two ways to trust the key. */
function UntrustedPanel({
  fingerprint,
  onTrust,
  onOverride,
  onVerifyAgain,
}: {
  fingerprint: string;
  onTrust: () => void;
  onOverride: () => void;
  onVerifyAgain: () => void;
}) {
  return (
    <Alert severity="warning" icon={<GppBadOutlinedIcon />}>
      <AlertTitle>Signed by a key this site does not trust yet</AlertTitle>
      <Typography sx={{ mb: 1 }}>
        The signature is valid, but it was made with a key this site has not pinned, so Ferry will not import the bundle yet. Ask the exporting site for their
        public key and compare fingerprints: the one they give you (on the transfer form, or by phone) must be exactly
      </Typography>
      <Box sx={{ mb: 1.5, p: 1, bgcolor: 'background.paper', borderRadius: 1 }}>
        <Digest value={fingerprint} label="fingerprint to compare" size="body" />
      </Box>
      <Typography sx={{ mb: 1.5 }}>
        When they match, trust their key: paste or open the public key they sent you (a .pub.pem file). Settings lists it afterwards, under Trusted keys.
      </Typography>
      <Stack direction="row" spacing={1.5}>
        <Button variant="contained" color="warning" onClick={onTrust}>
          Trust this key…
        </Button>
        <Button color="inherit" variant="outlined" onClick={onOverride}>
          Import once anyway…
        </Button>
        <Button color="inherit" onClick={onVerifyAgain}>
          Verify again
        </Button>
      </Stack>
    </Alert>
  );
}

import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { TrustedKeyRecord } from '../../../../shared/rpc.js';
import { ferry, useConnection } from '../../client';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { TrustKeyDialog } from '../../domain/keys/TrustKeyDialog';
import { RevokeKeyDialog } from './RevokeKeyDialog';

const whose = (k: TrustedKeyRecord) => k.name ?? 'No name recorded';

/** The keys this site trusts, each with whose it is and who trusted it when; trust another, or revoke one. */
export function TrustedKeysSection() {
  const [keys, setKeys] = useState<TrustedKeyRecord[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [trustOpen, setTrustOpen] = useState(false);
  const [revoking, setRevoking] = useState<TrustedKeyRecord | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const generation = useConnection((s) => s.generation);

  useEffect(() => {
    let live = true;
    ferry()
      .call('keys.list', {})
      .then(
        (result) => {
          if (!live) return;
          setKeys(result.keys);
          setError(null);
        },
        (err: unknown) => live && setError(err),
      );
    return () => {
      live = false;
    };
  }, [reload, generation]);

  return (
    <Section
      title="Trusted keys"
      actions={
        <Button variant="outlined" onClick={() => setTrustOpen(true)}>
          Trust a key…
        </Button>
      }
    >
      <Typography color="text.secondary" sx={{ mb: 1.5, maxWidth: '80ch' }}>
        Import accepts only bundles signed by one of these keys. Revoke a key that was lost or stolen, or that a site no longer uses: from then on its bundles
        are refused.
      </Typography>
      {notice && (
        <Alert severity="success" role="status" sx={{ mb: 1.5 }} onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {!keys && error == null && <LinearProgress aria-label="Loading the trusted keys" />}
      {error != null && <ErrorAlert error={error} title="Cannot read the trusted keys" />}
      {keys && keys.length === 0 && <Typography>No trusted keys yet. Trust the public key of each site you import from.</Typography>}
      {keys && keys.length > 0 && (
        <List dense aria-label="Trusted keys" disablePadding>
          {keys.map((k) => (
            <ListItem key={k.fingerprint} disableGutters divider data-fingerprint={k.fingerprint} sx={{ display: 'block', py: 1.25 }}>
              <Stack direction="row" spacing={1.5} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                <Typography sx={{ fontWeight: 600 }}>{whose(k)}</Typography>
                {k.revoked && <Chip size="small" color="error" label="Revoked" />}
                <Box sx={{ flex: 1 }} />
                {!k.revoked && (
                  <Button size="small" color="error" onClick={() => setRevoking(k)} aria-label={`Revoke the key of ${whose(k)}`}>
                    Revoke…
                  </Button>
                )}
              </Stack>
              <Digest value={k.fingerprint} label={`fingerprint of ${whose(k)}`} grouped />
              <Typography variant="body2" color="text.secondary">
                {k.trustedAt && k.trustedBy ? (
                  <>
                    Trusted <DateTime iso={k.trustedAt} /> by {k.trustedBy.name}
                  </>
                ) : (
                  'Trusted before names were recorded'
                )}
                {k.revoked && (
                  <>
                    {'; revoked '}
                    <DateTime iso={k.revoked.at} /> by {k.revoked.by.name}: {k.revoked.reason}
                  </>
                )}
              </Typography>
            </ListItem>
          ))}
        </List>
      )}

      <TrustKeyDialog
        open={trustOpen}
        onClose={() => setTrustOpen(false)}
        onTrusted={(fingerprint) => {
          setTrustOpen(false);
          setNotice(`Trusted the key with fingerprint ${fingerprint}.`);
          setReload((n) => n + 1);
        }}
      />
      <RevokeKeyDialog
        record={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={(seq) => {
          setNotice(`Revoked the key of ${revoking ? whose(revoking) : 'that site'}. Recorded as ledger line ${seq}; its bundles are refused from now on.`);
          setRevoking(null);
          setReload((n) => n + 1);
        }}
      />
    </Section>
  );
}

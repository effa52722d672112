import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useId, useState } from 'react';
import type { SignAs } from '../../../../shared/rpc.js';
import { ferry } from '../../client';
import { spkiFingerprint } from '../../lib/fingerprint';
import { monoSmall } from '../../core/theme';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TextFileButton } from '../../components/TextFileButton';
import { useOnOpen } from '../../components/useOnOpen';
import { ConfirmActions } from '../../components/ConfirmActions';
import { activeOnly, usePeople } from '../people/api';
import { EMPTY_SIGN_AS, SignAsFields, signAsReady } from '../people/SignAsFields';

export interface TrustKeyDialogProps {
  open: boolean;
  onClose: () => void;
  onTrusted: (fingerprint: string) => void;
  /** The fingerprint the key should have (the bundle's signer), to compare against. */
  expectedFingerprint?: string;
}

/**
 * Paste (or open) another site's public key, see its fingerprint, confirm it was compared out of band,
 * trust it: signed by an enrolled person once anyone is enrolled here, as the engine requires.
 */
export function TrustKeyDialog({ open, onClose, onTrusted, expectedFingerprint }: TrustKeyDialogProps) {
  const [pem, setPem] = useState('');
  const [name, setName] = useState('');
  const [compared, setCompared] = useState(false);
  const [as, setAs] = useState<SignAs>(EMPTY_SIGN_AS);
  const people = usePeople();
  const signed = activeOnly(people.data?.people).length > 0;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();

  useOnOpen(open, () => {
    setPem('');
    setName('');
    setCompared(false);
    setAs(EMPTY_SIGN_AS);
    setError(null);
  });

  // What the pasted text reads as: computed (WebCrypto) after each change, shown only for the text it was computed from.
  const [reading, setReading] = useState<{ pem: string; fingerprint: string | null; problem: string | null } | null>(null);
  useEffect(() => {
    if (!pem.trim()) return;
    let live = true;
    spkiFingerprint(pem).then(
      (fp) => live && setReading({ pem, fingerprint: fp, problem: null }),
      (err: Error) => live && setReading({ pem, fingerprint: null, problem: err.message }),
    );
    return () => {
      live = false;
    };
  }, [pem]);
  const read = pem.trim() && reading?.pem === pem ? reading : null;
  const fingerprint = read?.fingerprint ?? null;
  const parseProblem = read?.problem ?? null;

  const mismatch = Boolean(expectedFingerprint && fingerprint && fingerprint !== expectedFingerprint);

  async function trust() {
    setBusy(true);
    setError(null);
    try {
      const result = await ferry().call('keys.trust', { pem: pem.trim() + '\n', ...(name.trim() ? { name: name.trim() } : {}), ...(signed ? { as } : {}) });
      onTrusted(result.fingerprint);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <DialogTitle id={titleId}>Trust a public key</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <DialogContentText>
            Paste the exporting site's public key (a PEM file, <code>-----BEGIN PUBLIC KEY-----</code> …). Trust it only after comparing its fingerprint with
            the one the exporting site gave you out of band, on the transfer form or by phone. The copy of the key inside a bundle proves nothing alone.
          </DialogContentText>
          <TextField
            label="Public key (PEM)"
            multiline
            minRows={6}
            maxRows={10}
            value={pem}
            onChange={(e) => setPem(e.target.value)}
            fullWidth
            slotProps={{ htmlInput: { spellCheck: false } }}
            sx={{ '& textarea': { ...monoSmall } }}
          />
          <Box>
            <TextFileButton accept=".pem,.pub,.txt,application/x-pem-file" inputLabel="Public key file" onText={(text) => setPem(text)}>
              Open key file…
            </TextFileButton>
          </Box>
          <TextField
            label="Whose key is this?"
            value={name}
            onChange={(e) => setName(e.target.value)}
            helperText="The site or team it belongs to, e.g. Site A staging, Oslo. Recorded in the ledger with the key, and shown when a bundle it signed is checked."
            slotProps={{ htmlInput: { maxLength: 200 } }}
          />
          {parseProblem && <Alert severity="warning">{parseProblem}</Alert>}
          {fingerprint && (
            <Box>
              <Typography variant="body2" color="text.secondary">
                Fingerprint of this key (SHA-256 of its public key, as <code>openssl pkey -pubin -outform DER | sha256sum</code> prints it)
              </Typography>
              <Digest value={fingerprint} label="fingerprint of the pasted key" size="body" />
            </Box>
          )}
          {expectedFingerprint && fingerprint && !mismatch && <Alert severity="success">This key's fingerprint matches the bundle's signer.</Alert>}
          {mismatch && (
            <Alert severity="error">
              This key's fingerprint does not match the bundle's signer ({expectedFingerprint}). Trusting it will not make this bundle trusted. Check that you
              have the right key.
            </Alert>
          )}
          <FormControlLabel
            control={<Checkbox checked={compared} onChange={(e) => setCompared(e.target.checked)} />}
            label="I compared this fingerprint with the one the exporting site gave me"
          />
          {signed && (
            <Stack spacing={1}>
              <Typography variant="body2" color="text.secondary">
                Every bundle this key signs will import without an override, so an enrolled person signs this decision; it is recorded in the ledger.
              </Typography>
              <SignAsFields value={as} onChange={setAs} label="Trusted by" disabled={busy} />
            </Stack>
          )}
          {error != null && <ErrorAlert error={error} title="The key was not trusted" />}
        </Stack>
      </DialogContent>
      <ConfirmActions
        onCancel={onClose}
        onConfirm={() => void trust()}
        busy={busy}
        ready={pem.trim() !== '' && compared && people.isSuccess && (!signed || signAsReady(as))}
        label="Trust key"
      />
    </Dialog>
  );
}

import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useId, useState } from 'react';
import type { SignAs } from '../../../../shared/rpc.js';
import { ferry } from '../../client';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useOnOpen } from '../../components/useOnOpen';
import { EMPTY_SIGN_AS, SignAsFields, signAsReady } from '../../domain/people/SignAsFields';

export interface OverrideDialogProps {
  open: boolean;
  dir: string;
  fingerprint: string;
  onClose: () => void;
  onRecorded: (seq: number) => void;
}

/** An override of the untrusted signer, once, as the design allows: a reason, and an enrolled officer's signed approval. */
export function OverrideDialog({ open, dir, fingerprint, onClose, onRecorded }: OverrideDialogProps) {
  const [reason, setReason] = useState('');
  const [officer, setOfficer] = useState<SignAs>(EMPTY_SIGN_AS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  useOnOpen(open, () => {
    setReason('');
    setOfficer(EMPTY_SIGN_AS);
    setError(null);
  });

  async function record() {
    setBusy(true);
    setError(null);
    try {
      const { seq } = await ferry().call('import.override', { dir, reason: reason.trim(), as: officer });
      onRecorded(seq);
    } catch (err) {
      setError(err);
      setOfficer((o) => ({ ...o, passphrase: '' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Import once without trusting the key</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <DialogContentText>
            The signature is valid but made with a key this site does not trust. An enrolled officer may approve importing this one bundle anyway, with a
            reason; the override and their signature are recorded in the ledger. The key is not trusted for any other bundle, and damaged volumes are still
            refused.
          </DialogContentText>
          <Digest value={fingerprint} label="fingerprint of the untrusted signer" grouped />
          <TextField
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            multiline
            minRows={2}
            disabled={busy}
            helperText="Why this bundle must come in before its key is trusted, e.g. fingerprint confirmed by phone with the exporting site"
            slotProps={{ htmlInput: { maxLength: 2000 } }}
          />
          <SignAsFields value={officer} onChange={setOfficer} label="Approved by" disabled={busy} />
          {error != null && <ErrorAlert error={error} title="The override was not recorded" />}
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button variant="contained" color="warning" onClick={() => void record()} disabled={!reason.trim() || !signAsReady(officer) || busy}>
          {busy ? 'Recording…' : 'Approve override'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useId, useState } from 'react';
import type { SignAs, TrustedKeyRecord } from '../../../../shared/rpc.js';
import { EMPTY_SIGN_AS, SignAsFields, signAsReady } from '../../domain/people/SignAsFields';
import { ferry } from '../../client';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useOnOpen } from '../../components/useOnOpen';

export interface RevokeKeyDialogProps {
  /** The key to revoke; null when closed. */
  record: TrustedKeyRecord | null;
  onClose: () => void;
  onRevoked: (seq: number) => void;
}

/** key.revoked: trust in a key withdrawn, with the reason, recorded in the ledger. */
export function RevokeKeyDialog({ record, onClose, onRevoked }: RevokeKeyDialogProps) {
  const [reason, setReason] = useState('');
  const [signer, setSigner] = useState<SignAs>(EMPTY_SIGN_AS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  useOnOpen(record !== null, () => {
    setReason('');
    setSigner(EMPTY_SIGN_AS);
    setError(null);
  });

  async function revoke() {
    if (!record) return;
    setBusy(true);
    setError(null);
    try {
      const { seq } = await ferry().call('keys.revoke', { fingerprint: record.fingerprint, reason: reason.trim(), as: signer });
      onRevoked(seq);
    } catch (err) {
      setError(err);
      setSigner((s) => ({ ...s, passphrase: '' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={record !== null} onClose={busy ? undefined : onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Revoke a trusted key</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <DialogContentText>
            From now on, bundles signed by {record?.name ?? 'this key'} are refused at import, whatever they carry. The revocation, its reason and the signature
            of the person revoking are recorded in the ledger.
          </DialogContentText>
          {record && <Digest value={record.fingerprint} label="fingerprint of the key to revoke" grouped />}
          <TextField
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            multiline
            minRows={2}
            helperText="Why trust is withdrawn, e.g. laptop stolen on 1 December, site decommissioned"
            slotProps={{ htmlInput: { maxLength: 500 } }}
          />
          <SignAsFields value={signer} onChange={setSigner} label="Revoked by" disabled={busy} />
          {error != null && <ErrorAlert error={error} title="The key was not revoked" />}
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button variant="contained" color="error" onClick={() => void revoke()} disabled={!reason.trim() || !signAsReady(signer) || busy}>
          {busy ? 'Revoking…' : 'Revoke key'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

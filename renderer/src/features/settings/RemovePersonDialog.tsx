import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useId, useState } from 'react';
import type { PersonRecord, SignAs } from '../../../../shared/rpc.js';
import { ferry } from '../../client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useOnOpen } from '../../components/useOnOpen';
import { EMPTY_SIGN_AS, SignAsFields, signAsReady } from '../../domain/people/SignAsFields';

export interface RemovePersonDialogProps {
  person: PersonRecord | null;
  onClose: () => void;
  onRemoved: (person: PersonRecord) => void;
}

/** person.removed, with the reason, signed by the person deciding (someone else while the two-person rule is on). */
export function RemovePersonDialog({ person, onClose, onRemoved }: RemovePersonDialogProps) {
  const [reason, setReason] = useState('');
  const [signer, setSigner] = useState<SignAs>(EMPTY_SIGN_AS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  useOnOpen(person !== null, () => {
    setReason('');
    setSigner(EMPTY_SIGN_AS);
    setError(null);
  });

  async function remove() {
    if (!person) return;
    setBusy(true);
    setError(null);
    try {
      onRemoved(await ferry().call('people.remove', { name: person.name, reason: reason.trim(), as: signer }));
    } catch (err) {
      setError(err);
      setSigner((s) => ({ ...s, passphrase: '' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={person !== null} onClose={busy ? undefined : onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Remove {person?.name ?? 'a person'}</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <DialogContentText>
            From now on {person?.name ?? 'this person'}'s key signs nothing here. Their earlier signatures stay valid evidence. The removal and its reason are
            signed and recorded in the ledger.
          </DialogContentText>
          <TextField
            label="Reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            multiline
            minRows={2}
            disabled={busy}
            helperText="For example: left the team, passphrase forgotten"
            slotProps={{ htmlInput: { maxLength: 500 } }}
          />
          <SignAsFields value={signer} onChange={setSigner} label="Removed by" disabled={busy} />
          {error != null && <ErrorAlert error={error} title="The person was not removed" />}
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button variant="contained" color="error" onClick={() => void remove()} disabled={!reason.trim() || !signAsReady(signer) || busy}>
          {busy ? 'Removing…' : 'Remove'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

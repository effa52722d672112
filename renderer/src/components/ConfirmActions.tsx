import Button from '@mui/material/Button';
import DialogActions from '@mui/material/DialogActions';

export interface ConfirmActionsProps {
  onCancel: () => void;
  onConfirm: () => void;
  /** The action is running: both buttons wait, and the confirm button says so when `busyLabel` is given. */
  busy: boolean;
  /** The form is complete enough to confirm. */
  ready: boolean;
  label: string;
  busyLabel?: string;
  color?: 'primary' | 'error' | 'warning';
}

/** A form dialog's Cancel and confirm buttons. */
export function ConfirmActions({ onCancel, onConfirm, busy, ready, label, busyLabel, color = 'primary' }: ConfirmActionsProps) {
  return (
    <DialogActions sx={{ px: 3, py: 1.5 }}>
      <Button onClick={onCancel} disabled={busy}>
        Cancel
      </Button>
      <Button variant="contained" color={color} onClick={onConfirm} disabled={!ready || busy}>
        {busy && busyLabel ? busyLabel : label}
      </Button>
    </DialogActions>
  );
}

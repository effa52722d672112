import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useId, useState, type ReactNode } from 'react';
import type { SignAs } from '../../../../shared/rpc.js';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useOnOpen } from '../../components/useOnOpen';
import { EMPTY_SIGN_AS, SignAsFields, signAsReady } from './SignAsFields';
import { ConfirmActions } from '../../components/ConfirmActions';

export interface SignedDecisionDialogProps {
  open: boolean;
  title: string;
  /** What the decision does, in the words the person signs under. */
  explanation: ReactNode;
  /** Shown under the explanation: what the decision is about (a fingerprint). */
  children?: ReactNode;
  /** The reason field, when the decision takes one. */
  reason?: { required: boolean; helperText?: string; maxLength: number } | undefined;
  /** Who decides: "Revoked by", "Approved by". */
  signerLabel: string;
  /** People who may not decide this one (the requester), and why. */
  exclude?: string[];
  excludedWhy?: string;
  submitLabel: string;
  busyLabel: string;
  color: 'primary' | 'error' | 'warning';
  /** The alert's title when the engine refuses: "The key was not revoked". */
  failureTitle: string;
  onClose: () => void;
  /** Makes the decision; a refusal is shown in the dialog and the passphrase cleared for another try. */
  decide: (reason: string, as: SignAs) => Promise<void>;
}

/** Every decision a person signs with their passphrase: the explanation, a reason where it takes one, who decides, and the refusal if any. */
export function SignedDecisionDialog(props: SignedDecisionDialogProps) {
  const { open, reason: reasonField, onClose } = props;
  const [reason, setReason] = useState('');
  const [signer, setSigner] = useState<SignAs>(EMPTY_SIGN_AS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  useOnOpen(open, () => {
    setReason('');
    setSigner(EMPTY_SIGN_AS);
    setError(null);
  });

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      await props.decide(reason.trim(), signer);
    } catch (err) {
      setError(err);
      setSigner((s) => ({ ...s, passphrase: '' }));
    } finally {
      setBusy(false);
    }
  }

  const ready = signAsReady(signer) && (!reasonField?.required || reason.trim() !== '');
  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>{props.title}</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <DialogContentText>{props.explanation}</DialogContentText>
          {props.children}
          {reasonField && (
            <TextField
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required={reasonField.required}
              multiline
              minRows={2}
              disabled={busy}
              {...(reasonField.helperText ? { helperText: reasonField.helperText } : {})}
              slotProps={{ htmlInput: { maxLength: reasonField.maxLength } }}
            />
          )}
          <SignAsFields
            value={signer}
            onChange={setSigner}
            label={props.signerLabel}
            exclude={props.exclude ?? []}
            {...(props.excludedWhy ? { excludedWhy: props.excludedWhy } : {})}
            disabled={busy}
          />
          {error != null && <ErrorAlert error={error} title={props.failureTitle} />}
        </Stack>
      </DialogContent>
      <ConfirmActions
        onCancel={onClose}
        onConfirm={() => void submit()}
        busy={busy}
        ready={ready}
        label={props.submitLabel}
        busyLabel={props.busyLabel}
        color={props.color}
      />
    </Dialog>
  );
}

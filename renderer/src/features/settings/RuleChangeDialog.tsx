import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useId, useState } from 'react';
import type { Result, RuleRequestInfo, SignAs } from '../../../../shared/rpc.js';
import { ferry } from '../../client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useOnOpen } from '../../components/useOnOpen';
import { EMPTY_SIGN_AS, SignAsFields, signAsReady } from '../../domain/people/SignAsFields';

/** What the dialog does: turn the rule on, ask for (or approve) turning it off, or reject a waiting request. */
export type RuleChange = { kind: 'on' } | { kind: 'off'; waiting?: RuleRequestInfo | undefined } | { kind: 'reject'; request: RuleRequestInfo };

export interface RuleChangeDialogProps {
  change: RuleChange | null;
  onClose: () => void;
  onDone: (result: Result<'approval.rule'> | RuleRequestInfo) => void;
}

const TITLES = { on: 'Turn the two-person rule on', off: 'Turn the two-person rule off', reject: 'Reject the request to turn the rule off' };

/** A signed decision about the two-person rule: who decides, with their passphrase. */
export function RuleChangeDialog({ change, onClose, onDone }: RuleChangeDialogProps) {
  const [signer, setSigner] = useState<SignAs>(EMPTY_SIGN_AS);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  useOnOpen(change !== null, () => {
    setSigner(EMPTY_SIGN_AS);
    setReason('');
    setError(null);
  });
  const waiting = change?.kind === 'off' ? change.waiting : change?.kind === 'reject' ? change.request : undefined;

  async function submit() {
    if (!change) return;
    setBusy(true);
    setError(null);
    try {
      onDone(
        change.kind === 'reject'
          ? await ferry().call('approval.decideRule', { id: change.request.id, decision: 'reject', as: signer, reason: reason.trim() })
          : await ferry().call('approval.rule', { enabled: change.kind === 'on', as: signer }),
      );
    } catch (err) {
      setError(err);
      setSigner((s) => ({ ...s, passphrase: '' }));
    } finally {
      setBusy(false);
    }
  }

  const explanation =
    change?.kind === 'on'
      ? 'From now on every export waits until an enrolled second person approves exactly what leaves. Your signature is recorded with the change.'
      : change?.kind === 'reject'
        ? `${waiting?.requester.name ?? 'Someone'} asked to turn the rule off. Rejecting keeps it on; your reason and signature are recorded.`
        : waiting
          ? `${waiting.requester.name} asked to turn the rule off. As a second person, your signature carries it out.`
          : 'The rule stays on until a second enrolled person approves: your signed request waits for them here.';
  const ready = signAsReady(signer) && (change?.kind !== 'reject' || reason.trim() !== '');

  return (
    <Dialog open={change !== null} onClose={busy ? undefined : onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>{change ? TITLES[change.kind] : ''}</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <DialogContentText>{explanation}</DialogContentText>
          {change?.kind === 'reject' && (
            <TextField
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              required
              multiline
              minRows={2}
              disabled={busy}
              slotProps={{ htmlInput: { maxLength: 2000 } }}
            />
          )}
          <SignAsFields
            value={signer}
            onChange={setSigner}
            label="Decided by"
            exclude={change?.kind === 'off' && waiting ? [waiting.requester.name] : []}
            {...(change?.kind === 'off' && waiting ? { excludedWhy: `Anyone enrolled except ${waiting.requester.name}, who asked.` } : {})}
            disabled={busy}
          />
          {error != null && <ErrorAlert error={error} title="The two-person rule was not changed" />}
        </Stack>
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button variant="contained" color={change?.kind === 'on' ? 'primary' : 'error'} onClick={() => void submit()} disabled={!ready || busy}>
          {busy ? 'Signing…' : change?.kind === 'on' ? 'Turn on' : change?.kind === 'reject' ? 'Reject' : waiting ? 'Approve: turn off' : 'Ask to turn off'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useId, useState, type ReactNode } from 'react';
import type { ApprovalRequestInfo } from '../../../../shared/rpc.js';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ferry } from '../../client';
import { ApprovalRequestDetails } from './ApprovalRequestDetails';
import { sameName } from './approvals';

export interface ApprovalReviewProps {
  info: ApprovalRequestInfo;
  /** The engine's answer to approval.decide. */
  onDecided: (info: ApprovalRequestInfo) => void;
  /** Buttons under a rejection, e.g. "Back to what to carry". */
  rejectedActions?: ReactNode;
}

/** A request for approval: exactly what leaves, then the second person's decision (or the decision made). */
export function ApprovalReview({ info, onDecided, rejectedActions }: ApprovalReviewProps) {
  return (
    <Stack spacing={3}>
      <ApprovalRequestDetails info={info} />
      {info.state === 'pending' ? (
        <ApprovalDecisionForm info={info} onDecided={onDecided} />
      ) : (
        <ApprovalOutcome info={info} rejectedActions={rejectedActions} />
      )}
    </Stack>
  );
}

/** The decision in plain words: approved (by whom, when), rejected (and why), or already carried out. */
export function ApprovalOutcome({ info, rejectedActions }: { info: ApprovalRequestInfo; rejectedActions?: ReactNode }) {
  const by = info.decidedBy;
  const when = info.decidedAt ? (
    <>
      {' '}
      at <DateTime iso={info.decidedAt} />
    </>
  ) : null;
  const role = by?.role ? ` Role: ${by.role}.` : '';
  if (info.state === 'approved') {
    return (
      <Alert severity="success" role="status">
        <AlertTitle>Approved</AlertTitle>
        Approved by <strong>{by?.name ?? 'a second person'}</strong>
        {when}.{role} The export may now be built, exactly as listed above.
      </Alert>
    );
  }
  if (info.state === 'rejected') {
    return (
      <Alert severity="error">
        <AlertTitle>Rejected</AlertTitle>
        Rejected by <strong>{by?.name ?? 'a second person'}</strong>
        {when}.{role}
        {info.reason && (
          <Box sx={{ mt: 0.5 }}>
            Reason: <strong>{info.reason}</strong>
          </Box>
        )}
        <Box sx={{ mt: 0.5 }}>Nothing was written. Change what to carry, then request approval again.</Box>
        {rejectedActions && <Box sx={{ mt: 1.5, display: 'flex', gap: 1 }}>{rejectedActions}</Box>}
      </Alert>
    );
  }
  if (info.state === 'exported') {
    return (
      <Alert severity="info">
        <AlertTitle>Approved and exported</AlertTitle>
        Approved by <strong>{by?.name ?? 'a second person'}</strong>
        {when}, and carried out.
        {info.bundle && (
          <Box sx={{ mt: 0.5 }}>
            Bundle: <Digest value={info.bundle} label="bundle digest of the approved export" />
          </Box>
        )}
      </Alert>
    );
  }
  return null;
}

/** The second person's name and role, Approve, or Reject with a reason. The approver's name must differ from the requester's. */
export function ApprovalDecisionForm({ info, onDecided }: { info: ApprovalRequestInfo; onDecided: (info: ApprovalRequestInfo) => void }) {
  const headingId = useId();
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const requester = info.requester.name;
  const same = name.trim() !== '' && sameName(name, requester);
  const nameOk = name.trim() !== '' && !same;

  async function decide(decision: 'approve' | 'reject') {
    if (!nameOk || (decision === 'reject' && !reason.trim())) return;
    setBusy(true);
    setError(null);
    try {
      const approver = { name: name.trim(), ...(role.trim() ? { role: role.trim() } : {}) };
      const decided = await ferry().call('approval.decide', { id: info.id, decision, approver, ...(decision === 'reject' ? { reason: reason.trim() } : {}) });
      onDecided(decided);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const hint = !name.trim()
    ? "Type the approver's name."
    : same
      ? 'The approver must be a second person.'
      : rejecting && !reason.trim()
        ? 'Give a reason for the rejection.'
        : null;

  return (
    <Box component="section" aria-labelledby={headingId} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2 }}>
      <Typography variant="h3" id={headingId}>
        Approver
      </Typography>
      <Typography color="text.secondary" sx={{ mt: 0.5, mb: 2, maxWidth: '80ch' }}>
        Hand the keyboard to the approver: a second person, with a name other than {requester}'s. They check exactly what leaves (above), then approve or reject
        it. The ledger records their name with the decision.
      </Typography>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <TextField
          label="Approver name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          error={same}
          helperText={same ? `The approver must be someone other than the requester, ${requester}.` : ' '}
          disabled={busy}
          slotProps={{ htmlInput: { maxLength: 120, autoComplete: 'off', spellCheck: false } }}
          sx={{ minWidth: 280 }}
        />
        <TextField
          label="Approver role"
          value={role}
          onChange={(e) => setRole(e.target.value)}
          helperText="For example: security officer."
          disabled={busy}
          slotProps={{ htmlInput: { maxLength: 60 } }}
          sx={{ minWidth: 280 }}
        />
      </Stack>
      {rejecting && (
        <TextField
          label="Reason for rejection"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          autoFocus
          multiline
          minRows={2}
          fullWidth
          disabled={busy}
          helperText="Recorded in the ledger with the rejection, for the requester to read."
          slotProps={{ htmlInput: { maxLength: 2000 } }}
          sx={{ mt: 1 }}
        />
      )}
      {error != null && (
        <Box sx={{ mt: 2 }}>
          <ErrorAlert error={error} title="The decision was not recorded" />
        </Box>
      )}
      <Stack direction="row" spacing={1.5} sx={{ mt: 2, alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        {rejecting ? (
          <>
            <Button variant="contained" color="error" disabled={busy || !nameOk || !reason.trim()} onClick={() => void decide('reject')}>
              {busy ? 'Recording…' : 'Confirm rejection'}
            </Button>
            <Button disabled={busy} onClick={() => setRejecting(false)}>
              Do not reject
            </Button>
          </>
        ) : (
          <>
            <Button variant="contained" color="success" disabled={busy || !nameOk} onClick={() => void decide('approve')}>
              {busy ? 'Recording…' : 'Approve'}
            </Button>
            <Button variant="outlined" color="error" disabled={busy || !nameOk} onClick={() => setRejecting(true)}>
              Reject
            </Button>
          </>
        )}
        {hint && !busy && (
          <Typography variant="body2" color="text.secondary">
            {hint}
          </Typography>
        )}
      </Stack>
    </Box>
  );
}

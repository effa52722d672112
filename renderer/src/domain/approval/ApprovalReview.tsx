import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useId, useState, type ReactNode } from 'react';
import type { ApprovalRequestInfo, SignAs } from '../../../../shared/rpc.js';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ferry } from '../../client';
import { ApprovalRequestDetails } from './ApprovalRequestDetails';
import { EMPTY_SIGN_AS, SignAsFields, signAsReady } from '../people/SignAsFields';

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
      {info.status === 'pending' ? (
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
  const signed = info.signer ? ' Signed with their personal key.' : '';
  if (info.status === 'approved') {
    return (
      <Alert severity="success" role="status">
        <AlertTitle>Approved</AlertTitle>
        Approved by <strong>{by?.name ?? 'a second person'}</strong>
        {when}.{role}
        {signed} The export may now be built, exactly as listed above.
      </Alert>
    );
  }
  if (info.status === 'rejected') {
    return (
      <Alert severity="error">
        <AlertTitle>Rejected</AlertTitle>
        Rejected by <strong>{by?.name ?? 'a second person'}</strong>
        {when}.{role}
        {signed}
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
  if (info.status === 'exported') {
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

/** The second person, chosen from the people enrolled here, signs Approve, or Reject with a reason, with their passphrase. */
export function ApprovalDecisionForm({ info, onDecided }: { info: ApprovalRequestInfo; onDecided: (info: ApprovalRequestInfo) => void }) {
  const headingId = useId();
  const [signer, setSigner] = useState<SignAs>(EMPTY_SIGN_AS);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const requester = info.requester.name;
  const ready = signAsReady(signer);

  async function decide(decision: 'approve' | 'reject') {
    if (!ready || (decision === 'reject' && !reason.trim())) return;
    setBusy(true);
    setError(null);
    try {
      const decided = await ferry().call('approval.decide', { id: info.id, decision, as: signer, ...(decision === 'reject' ? { reason: reason.trim() } : {}) });
      onDecided(decided);
    } catch (err) {
      setError(err);
      setSigner((s) => ({ ...s, passphrase: '' }));
    } finally {
      setBusy(false);
    }
  }

  const hint = !signer.name
    ? 'Choose the approver.'
    : !signer.passphrase
      ? 'The approver types their passphrase.'
      : rejecting && !reason.trim()
        ? 'Give a reason for the rejection.'
        : null;

  return (
    <Box component="section" aria-labelledby={headingId} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2 }}>
      <Typography variant="h3" id={headingId}>
        Approver
      </Typography>
      <Typography color="text.secondary" sx={{ mt: 0.5, mb: 2, maxWidth: '80ch' }}>
        Hand the keyboard to the approver: an enrolled person other than {requester}. They check exactly what leaves (above), then approve or reject it with
        their own passphrase. The ledger records the decision signed with their personal key.
      </Typography>
      <SignAsFields
        value={signer}
        onChange={setSigner}
        label="Approver"
        exclude={[requester]}
        excludedWhy={`Anyone enrolled except ${requester}, who asked.`}
        disabled={busy}
      />
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
            <Button variant="contained" color="error" disabled={busy || !ready || !reason.trim()} onClick={() => void decide('reject')}>
              {busy ? 'Recording…' : 'Confirm rejection'}
            </Button>
            <Button disabled={busy} onClick={() => setRejecting(false)}>
              Do not reject
            </Button>
          </>
        ) : (
          <>
            <Button variant="contained" color="success" disabled={busy || !ready} onClick={() => void decide('approve')}>
              {busy ? 'Recording…' : 'Approve'}
            </Button>
            <Button variant="outlined" color="error" disabled={busy || !ready} onClick={() => setRejecting(true)}>
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

import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { StepActions, StepHeading } from '../../components/StepParts';
import { useAppInfo } from '../../core/appInfoStore';
import { ApprovalReview } from '../../domain/approval/ApprovalReview';
import { personLabel } from '../../domain/approval/approvals';
import { useApprovalState } from './api/queries';
import { useExport } from './exportStore';

/**
 * Approval (two-person rule): the request is recorded with exactly what export.start will send,
 * a second person approves or rejects it by name, and only then can the bundle be built.
 */
export function ApprovalStep() {
  const approval = useExport((s) => s.approval);
  const dropped = useExport((s) => s.approvalDropped);
  const requesting = useExport((s) => s.requesting);
  const requestError = useExport((s) => s.requestError);
  const starting = useExport((s) => s.starting);
  const startError = useExport((s) => s.startError);
  const twoPersonRule = useAppInfo((s) => s.info?.twoPersonRule === true);
  const operator = useAppInfo((s) => s.info?.operator);
  const { setStep, requestApproval, setApproval, backToCarry, start } = useExport.getState();
  const current = useApprovalState(approval?.id);
  const checking = current.isFetching;
  const checkError = current.error;
  const found = current.data;
  useEffect(() => {
    if (found) setApproval(found);
  }, [found, setApproval]);

  const back = <Button onClick={() => setStep('media')}>Back</Button>;

  if (!twoPersonRule) {
    return (
      <Box>
        <StepHeading title="Approval" />
        <Alert severity="info">The two-person rule was turned off in Settings: this export needs no approval.</Alert>
        {startError && (
          <Box sx={{ mt: 2 }}>
            <ErrorAlert error={startError} title="The export did not start" />
          </Box>
        )}
        <StepActions back={back}>
          <Button variant="contained" disabled={starting} onClick={() => void start()}>
            {starting ? 'Starting…' : 'Build bundle'}
          </Button>
        </StepActions>
      </Box>
    );
  }

  const used = approval?.status === 'exported';
  const approved = approval?.status === 'approved';

  return (
    <Box>
      <StepHeading
        title="Approval"
        lead="The two-person rule is on: the export waits until a second person, with a different name, approves exactly what leaves. Request approval, then hand the keyboard to the approver."
      />
      <Stack spacing={2.5}>
        {(!approval || used) && (
          <>
            {dropped && !approval && (
              <Alert severity="warning">
                The choices changed after approval was requested, so that approval no longer applies. Request approval again for the current choices.
              </Alert>
            )}
            {used && <Alert severity="info">That approval was already used by an export. Request approval again to build once more.</Alert>}
            <Typography sx={{ maxWidth: '80ch' }}>
              Ferry lists every artifact with its digest and size, exactly as the bundle will carry it, and records the request in the ledger as{' '}
              {personLabel(operator)}. Nothing is written yet.
            </Typography>
            <Box>
              <Button variant="contained" disabled={requesting} onClick={() => void requestApproval()}>
                {requesting ? 'Requesting…' : 'Request approval'}
              </Button>
            </Box>
            {requesting && (
              <Typography variant="body2" color="text.secondary" role="status">
                Reading every artifact to list its digest and size…
              </Typography>
            )}
            {requestError && <ErrorAlert error={requestError} title="The approval request was not recorded" />}
          </>
        )}

        {approval && !used && (
          <>
            <ApprovalReview
              info={approval}
              onDecided={setApproval}
              rejectedActions={
                <Button color="inherit" variant="outlined" onClick={backToCarry}>
                  Back to what to carry
                </Button>
              }
            />
            {approval.status === 'pending' && (
              <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
                <Typography variant="body2" color="text.secondary">
                  Approving on another screen (Home, or another window)?
                </Typography>
                <Button size="small" disabled={checking} onClick={() => void current.refetch()}>
                  {checking ? 'Checking…' : 'Check for a decision'}
                </Button>
              </Stack>
            )}
            {checkError != null && <ErrorAlert error={checkError} title="Cannot read the approvals" />}
            <Typography variant="body2" color="text.secondary">
              Going back and changing what to carry, the media, the destination or the bundle name drops this request: a new one is needed.
            </Typography>
          </>
        )}

        {startError && <ErrorAlert error={startError} title="The export did not start" />}
      </Stack>

      <StepActions back={back}>
        {approved && (
          <Typography variant="body2" color="text.secondary">
            Next builds the bundle exactly as approved.
          </Typography>
        )}
        {!approved && approval?.status === 'pending' && (
          <Typography variant="body2" color="text.secondary">
            Waiting for the approver.
          </Typography>
        )}
        <Button variant="contained" disabled={!approved || starting} onClick={() => void start()}>
          {starting ? 'Starting…' : 'Next'}
        </Button>
      </StepActions>
    </Box>
  );
}

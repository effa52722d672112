import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import { useAppInfo } from '../../core/appInfoStore';
import { useExport } from './exportStore';

/**
 * On What to carry and Media, under the two-person rule: says before a change that it drops the
 * approval asked for, and after one that it did.
 */
export function ApprovalNotice() {
  const twoPersonRule = useAppInfo((s) => s.info?.twoPersonRule === true);
  const approval = useExport((s) => s.approval);
  const dropped = useExport((s) => s.approvalDropped);
  if (!twoPersonRule) return null;
  if (approval && approval.status !== 'exported') {
    return (
      <Box sx={{ mt: 2 }}>
        <Alert severity="info">
          {approval.status === 'approved'
            ? 'These choices are approved'
            : approval.status === 'rejected'
              ? 'These choices were rejected'
              : 'Approval was requested for these choices'}
          . Changing what to carry, the media, the destination or the bundle name drops {approval.status === 'rejected' ? 'that request' : 'the approval'}: a
          new request is needed.
        </Alert>
      </Box>
    );
  }
  if (dropped) {
    return (
      <Box sx={{ mt: 2 }}>
        <Alert severity="warning" role="status">
          The choices changed after approval was requested, so that approval no longer applies. Request approval again on the Approval step.
        </Alert>
      </Box>
    );
  }
  return null;
}

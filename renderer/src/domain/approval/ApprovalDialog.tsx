import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import { useId, useState } from 'react';
import type { ApprovalRequestInfo } from '../../../../shared/rpc.js';
import { ApprovalReview } from './ApprovalReview';

export interface ApprovalDialogProps {
  /** The request to review; null closes the dialog. */
  request: ApprovalRequestInfo | null;
  onClose: () => void;
  onDecided: (info: ApprovalRequestInfo) => void;
}

/** Review an approval request away from the wizard (from Home): what leaves, then Approve or Reject by name. */
export function ApprovalDialog({ request, onClose, onDecided }: ApprovalDialogProps) {
  const titleId = useId();
  // Keeps showing the decision once made, until closed.
  const [shown, setShown] = useState<ApprovalRequestInfo | null>(request);
  const [seen, setSeen] = useState(request);
  if (request !== seen) {
    setSeen(request);
    if (request) setShown(request);
  }

  return (
    <Dialog open={request !== null} onClose={onClose} aria-labelledby={titleId} maxWidth="lg" fullWidth>
      <DialogTitle id={titleId}>Review approval: export {shown?.name}</DialogTitle>
      <DialogContent dividers>
        {shown && (
          <ApprovalReview
            info={shown}
            onDecided={(info) => {
              setShown(info);
              onDecided(info);
            }}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

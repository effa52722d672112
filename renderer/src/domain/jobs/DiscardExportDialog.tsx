import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { useId, useState } from 'react';
import type { Job } from '../../../../shared/rpc.js';
import { ConfirmActions } from '../../components/ConfirmActions';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useOnOpen } from '../../components/useOnOpen';
import { joinPath } from '../../lib/format';
import { dismissJob } from './jobs';

/** Whether dismissing `job` would leave volumes behind: an export that stopped with its written volumes kept for Resume. */
export function keepsVolumes(job: Job): boolean {
  return job.kind === 'export' && (job.state === 'paused' || job.state === 'interrupted' || job.state === 'failed');
}

function whatGoes(job: Job): string {
  const kept = job.error?.details?.volumesKept;
  if (kept === 1) return 'The volume it has already written in this folder is removed';
  return typeof kept === 'number'
    ? `The ${kept} volumes it has already written in this folder are removed`
    : 'The volumes it has already written in this folder are removed';
}

/** Discarding an export that will not be resumed (Dismiss on Home, Discard on Build): says what is removed from the bundle folder, and removes it. */
export function DiscardExportDialog({
  job,
  onClose,
  onDiscarded,
}: {
  job: (Job & { kind: 'export' }) | null;
  onClose: () => void;
  /** After the volumes are removed and the job is off the list. */
  onDiscarded?: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  useOnOpen(job !== null, () => setError(null));
  if (!job) return null;
  const folder = joinPath(job.request.destination, job.request.folder ?? job.request.name);

  async function discard(id: string) {
    setBusy(true);
    setError(null);
    try {
      await dismissJob(id, { removeKeptVolumes: true });
      onClose();
      onDiscarded?.();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onClose={busy ? undefined : onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Discard this export?</DialogTitle>
      <DialogContent dividers>
        <DialogContentText>
          {whatGoes(job)}, with the progress record Resume would continue from: the export can no longer be resumed. A complete bundle and files that are not
          this export's own stay.
        </DialogContentText>
        <Typography sx={{ fontFamily: 'monospace', wordBreak: 'break-all', mt: 1.5 }} aria-label="Bundle folder">
          {folder}
        </Typography>
        {error != null && <ErrorAlert error={error} title="Could not remove the volumes" />}
      </DialogContent>
      <ConfirmActions
        onCancel={onClose}
        onConfirm={() => void discard(job.id)}
        busy={busy}
        ready
        label="Discard the volumes"
        busyLabel="Removing…"
        color="warning"
      />
    </Dialog>
  );
}

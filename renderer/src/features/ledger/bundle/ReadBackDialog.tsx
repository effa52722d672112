import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useEffect, useId, useRef, useState } from 'react';
import type { TransferReport } from '../../../../../shared/rpc.js';
import { useJob } from '../../../domain/jobs/jobs';
import { MediaVerifyForm } from '../../../domain/media/MediaVerifyForm';
import { EMPTY_MEDIA_FORM, type MediaFormValue } from '../../../domain/media/mediaTypes';
import type { KnownVolume } from '../../../domain/media/MediaVerifyResult';

export interface ReadBackDialogProps {
  open: boolean;
  report: TransferReport;
  onClose: () => void;
  /** A read-back finished (either way): the ledger has new lines for the page to show. */
  onFinished: () => void;
}

/**
 * Reads a medium of this bundle back at any time after the export (a disc found in the safe, a USB
 * stick before it leaves again): every volume on it compared with the signed SHA256SUMS, the medium
 * and the result recorded (media.written, media.verified).
 */
export function ReadBackDialog({ open, report, onClose, onFinished }: ReadBackDialogProps) {
  const [value, setValue] = useState<MediaFormValue>(EMPTY_MEDIA_FORM);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const titleId = useId();
  const finished = job !== undefined && job.state !== 'running';
  // Told once per read-back, whatever the page's callbacks do meanwhile.
  const told = useRef<string | null>(null);
  useEffect(() => {
    if (!finished || told.current === jobId) return;
    told.current = jobId;
    onFinished();
  }, [finished, jobId, onFinished]);

  const known: KnownVolume[] = report.volumes.map((v) => ({ file: v.file, size: v.size ?? 0, sha256: v.sha256 }));
  const verified = report.media.filter((m) => m.verified === 'ok').flatMap((m) => m.volumes);

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} maxWidth="md" fullWidth>
      <DialogTitle id={titleId}>Read media back</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          Choose the folder where the medium is mounted and say which medium it is. Every volume on it is read back in full and compared with the signed
          SHA256SUMS; the ledger records the medium, its seal and the result.
        </DialogContentText>
        <MediaVerifyForm
          value={value}
          onChange={(patch) => setValue((v) => ({ ...v, ...patch }))}
          defaultDir=""
          jobId={jobId}
          onStarted={(started) => setJobId(started.id)}
          onAnother={() => {
            setValue(EMPTY_MEDIA_FORM);
            setJobId(null);
          }}
          knownVolumes={known}
          verifiedVolumes={verified}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{job?.state === 'running' ? 'Close (the read-back goes on)' : 'Close'}</Button>
      </DialogActions>
    </Dialog>
  );
}

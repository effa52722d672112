import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';
import type { Job, JobState } from '../../../shared/rpc.js';
import { formatBytes, formatDuration, formatRate } from '../lib/format';
import { monoSmall } from '../core/theme';
import { Bytes } from './Bytes';
import { ErrorAlert } from './ErrorAlert';

const STATE_LABEL: Record<JobState, { text: string; color: 'default' | 'primary' | 'success' | 'error' | 'warning' }> = {
  running: { text: 'Running', color: 'primary' },
  completed: { text: 'Completed', color: 'success' },
  failed: { text: 'Failed', color: 'error' },
  cancelled: { text: 'Cancelled', color: 'default' },
  interrupted: { text: 'Interrupted', color: 'warning' },
  paused: { text: 'Paused', color: 'warning' },
};

export function JobStateChip({ state }: { state: JobState }) {
  const { text, color } = STATE_LABEL[state];
  return <Chip size="small" label={text} color={color} variant={state === 'running' ? 'filled' : 'outlined'} />;
}

export interface JobProgressProps {
  job: Job;
  /** The progress bar's accessible name; default "<Kind> progress". */
  label?: string;
  /** Shows a Cancel button while the job runs. */
  onCancel?: () => Promise<unknown> | void;
  /** The Cancel button's accessible name; default "Cancel". */
  cancelLabel?: string;
  showTitle?: boolean;
  /** Shows the job's error (failed jobs) inside the block. */
  showError?: boolean;
  /** More buttons beside Cancel (e.g. Open). */
  actions?: ReactNode;
}

const KIND_LABEL: Record<Job['kind'], string> = { export: 'Export', verify: 'Verification', import: 'Import', stage: 'Copy', 'media-verify': 'Read-back' };

/** Honest progress: bytes done of total, rate, ETA, what is being done now, and Cancel. */
export function JobProgress({ job, label, onCancel, cancelLabel = 'Cancel', showTitle = true, showError = false, actions }: JobProgressProps) {
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const p = job.progress;
  const running = job.state === 'running';
  const fraction = p && p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : job.state === 'completed' ? 1 : running ? null : 0;
  const percent = fraction === null ? null : Math.floor(fraction * 100);
  const counted = p !== null && p.bytesTotal > 0;
  const valueText = p
    ? [
        p.phase,
        counted ? `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}${percent !== null ? ` (${percent}%)` : ''}` : '',
        p.waiting ? `waiting: ${p.waiting}` : '',
      ]
        .filter(Boolean)
        .join(', ') || 'Working'
    : running
      ? 'Starting'
      : STATE_LABEL[job.state].text;

  return (
    <Box>
      {showTitle && (
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1 }}>
          <Typography sx={{ fontWeight: 600, flex: 1, minWidth: 0 }} noWrap title={job.title}>
            {job.title}
          </Typography>
          <JobStateChip state={job.state} />
        </Stack>
      )}
      {p?.phase && running && (
        <Typography variant="body2" sx={{ mb: 0.75 }}>
          {p.phase}
        </Typography>
      )}
      <LinearProgress
        aria-label={label ?? `${KIND_LABEL[job.kind]} progress`}
        aria-valuetext={valueText}
        variant={fraction === null ? 'indeterminate' : 'determinate'}
        value={fraction === null ? undefined : fraction * 100}
        color={job.state === 'failed' ? 'error' : job.state === 'completed' ? 'success' : 'primary'}
        sx={{ height: 8, borderRadius: 4 }}
      />
      <Stack direction="row" spacing={2} useFlexGap sx={{ mt: 1, alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
        <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>
          {p && counted ? (
            <>
              <Bytes value={p.bytesDone} /> of <Bytes value={p.bytesTotal} />
              {percent !== null && ` (${percent}%)`}
            </>
          ) : running ? (
            'Starting…'
          ) : null}
        </Typography>
        {p && running && counted && !p.waiting && (
          <>
            <Typography variant="body2" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatRate(p.rate)}
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums' }}>
              {p.etaSeconds === null ? 'estimating time left…' : `about ${formatDuration(p.etaSeconds)} left`}
            </Typography>
          </>
        )}
        {p?.waiting && running && (
          <Typography variant="body2" color="warning.main" role="status">
            Waiting: {p.waiting}
          </Typography>
        )}
        <Stack direction="row" spacing={1} sx={{ ml: 'auto', alignItems: 'center', flexShrink: 0 }}>
          {actions}
          {onCancel && running && (
            <Button
              variant="outlined"
              color="error"
              size="small"
              disabled={cancelling}
              aria-label={cancelLabel}
              onClick={async () => {
                setCancelling(true);
                setCancelError(null);
                try {
                  await onCancel();
                } catch (err) {
                  setCancelError(err);
                  setCancelling(false);
                }
              }}
            >
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </Button>
          )}
        </Stack>
      </Stack>
      {p?.item && running && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }} noWrap title={p.item}>
          Now:{' '}
          <Box component="span" sx={{ ...monoSmall, color: 'text.primary' }}>
            {p.item}
          </Box>
        </Typography>
      )}
      {cancelError != null && (
        <Box sx={{ mt: 1 }}>
          <ErrorAlert error={cancelError} title="Could not cancel" />
        </Box>
      )}
      {showError && job.state === 'failed' && job.error && (
        <Box sx={{ mt: 1.5 }}>
          <ErrorAlert error={job.error} />
        </Box>
      )}
    </Box>
  );
}

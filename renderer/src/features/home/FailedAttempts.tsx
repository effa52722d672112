import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Job } from '../../../../shared/rpc.js';
import { DateTime } from '../../components/DateTime';
import { ErrorAlert } from '../../components/ErrorAlert';
import { dismissJob } from '../../domain/jobs/jobs';

/** Attempts that stopped before doing anything (a wrong folder, an empty drive): notices to read and dismiss, nothing to resume. */
export function FailedAttempts({ jobs }: { jobs: Job[] }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function dismiss(job: Job) {
    setBusy(true);
    setError(null);
    try {
      await dismissJob(job.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack spacing={1} sx={{ mb: 2 }} role="list" aria-label="Attempts that stopped before doing anything">
      {error != null && <ErrorAlert error={error} title="Cannot dismiss the notice" />}
      {jobs.map((job) => (
        <Alert
          key={job.id}
          role="listitem"
          severity="info"
          variant="outlined"
          action={
            <Button size="small" color="inherit" disabled={busy} onClick={() => void dismiss(job)} aria-label={`Dismiss the notice about ${job.title}`}>
              Dismiss
            </Button>
          }
        >
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {job.title}: stopped before doing anything · <DateTime iso={job.updatedAt} />
          </Typography>
          {job.error && <Typography variant="body2">{job.error.message}</Typography>}
        </Alert>
      ))}
    </Stack>
  );
}

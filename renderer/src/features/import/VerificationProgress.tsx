import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import type { Job } from '../../../../shared/rpc.js';
import { JobProgress } from '../../components/JobProgress';
import { cancelJob } from '../../domain/jobs/jobs';

/** The verification job, live, with Cancel; a cancelled or interrupted one says what now. */
export function VerificationProgress({ job }: { job: Job }) {
  return (
    <Box>
      <JobProgress job={job} label="Verification progress" onCancel={() => cancelJob(job.id)} cancelLabel="Cancel verification" />
      {job.state === 'cancelled' && (
        <Alert severity="info" sx={{ mt: 2 }}>
          The verification was cancelled. Nothing was written.
        </Alert>
      )}
      {job.state === 'interrupted' && (
        <Alert severity="warning" sx={{ mt: 2 }}>
          The verification was interrupted before it finished. Verify again.
        </Alert>
      )}
    </Box>
  );
}

import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useEffect } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FolderField } from '../../components/FolderField';
import { JobProgress } from '../../components/JobProgress';
import { StepActions, StepHeading } from '../../components/StepParts';
import { useJob, useJobs } from '../jobs/jobsStore';
import { useImport } from './importStore';

/** Step 1: where the bundle is; Verify runs the verification job, with progress. */
export function BundleStep() {
  const { dir, verifyJobId, busy, startError } = useImport();
  const { setDir, verify, setStep } = useImport.getState();
  const job = useJob(verifyJobId);
  const running = job?.state === 'running';

  useEffect(() => {
    if (job && (job.state === 'completed' || job.state === 'failed')) setStep(1);
  }, [job, setStep]);

  return (
    <Box>
      <StepHeading
        title="Bundle"
        lead="Choose the bundle folder: the one that holds SHA256SUMS, BUNDLE.json and the volumes. If the bundle came on several discs, copy every disc into one folder first."
      />
      <FolderField
        label="Bundle folder"
        value={dir}
        onChange={setDir}
        onSubmit={() => !running && void verify()}
        purpose="bundle"
        dialogTitle="Choose the bundle folder"
        disabled={running}
      />
      {startError && (
        <Box sx={{ mt: 2 }}>
          <ErrorAlert error={startError} title="The verification did not start" />
        </Box>
      )}
      {job && (
        <Box sx={{ mt: 3 }}>
          <JobProgress job={job} label="Verification progress" onCancel={() => useJobs.getState().cancel(job.id)} cancelLabel="Cancel verification" />
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
      )}
      <StepActions>
        <Button variant="contained" onClick={() => void verify()} disabled={!dir.trim() || busy || running}>
          {running ? 'Verifying…' : 'Verify'}
        </Button>
      </StepActions>
    </Box>
  );
}

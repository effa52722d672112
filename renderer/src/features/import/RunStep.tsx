import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useEffect } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { JobProgress } from '../../components/JobProgress';
import { StepActions, StepHeading } from '../../components/StepParts';
import { toErrorEnvelope } from '../../client';
import { InterruptedJobAlert } from '../jobs/InterruptedJobAlert';
import { useJob, useJobs } from '../jobs/jobsStore';
import { REFUSAL_CODES, useImport } from './importStore';

/** Step 4: the import job, live, with Cancel. */
export function RunStep() {
  const importJobId = useImport((s) => s.importJobId);
  const job = useJob(importJobId);
  const { setStep, chooseAnother } = useImport.getState();

  useEffect(() => {
    if (job?.state === 'completed') setStep(4);
  }, [job?.state, setStep]);

  if (!job) {
    return (
      <Box>
        <StepHeading title="Run" />
        <Alert severity="warning">This import is no longer listed by Ferry. Go back and start it again.</Alert>
        <StepActions back={<Button onClick={() => setStep(2)}>Back</Button>} />
      </Box>
    );
  }

  const envelope = job.error ? toErrorEnvelope(job.error) : null;
  const refused = envelope && REFUSAL_CODES.has(envelope.code);

  return (
    <Box>
      <StepHeading title="Run" lead="Ferry verifies the bundle once more, then writes each model's blobs and manifest into the store, checking every blob against its digest." />
      <JobProgress job={job} label="Import progress" onCancel={() => useJobs.getState().cancel(job.id)} cancelLabel="Cancel import" />
      <Stack spacing={2} sx={{ mt: 3 }}>
        {job.state === 'failed' && envelope && refused && (
          <Alert severity="error" variant="filled">
            <AlertTitle>Refused: nothing was written</AlertTitle>
            {envelope.message}
          </Alert>
        )}
        {job.state === 'failed' && envelope && !refused && <ErrorAlert error={envelope} title="The import failed" />}
        {job.state === 'cancelled' && (
          <Alert severity="info">
            <AlertTitle>The import was cancelled</AlertTitle>
            Models already complete stay in the store; a model cut short has no manifest, so Ollama does not see it. Import again to finish.
          </Alert>
        )}
        {job.state === 'interrupted' && (
          <InterruptedJobAlert job={job} title="The import was interrupted">
            Ferry stopped before it finished. Resume it to finish the remaining models.
          </InterruptedJobAlert>
        )}
      </Stack>
      <StepActions back={job.state !== 'running' ? <Button onClick={() => (refused ? chooseAnother() : setStep(2))}>{refused ? 'Choose another folder' : 'Back'}</Button> : undefined}>
        {job.state === 'completed' && (
          <Button variant="contained" onClick={() => setStep(4)}>
            Next
          </Button>
        )}
      </StepActions>
    </Box>
  );
}

import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { refusalProblems } from '../../../../shared/errors.js';
import type { ImportRequest, Job } from '../../../../shared/rpc.js';
import { ErrorAlert } from '../../components/ErrorAlert';
import { JobProgress } from '../../components/JobProgress';
import { StepActions, StepHeading } from '../../components/StepParts';
import { toErrorEnvelope } from '../../client';
import { InterruptedJobAlert } from '../../domain/jobs/InterruptedJobAlert';
import { cancelJob, useJob } from '../../domain/jobs/jobs';
import { PauseJobButton } from '../../domain/jobs/PauseJobButton';
import { ActiveBlobs } from './ActiveBlobs';
import { REFUSAL_CODES, useImport } from './importStore';

function leadFor(job: Job): string {
  const request: Partial<ImportRequest> = job.kind === 'import' ? job.request : {};
  const steps = [
    request.toOllamaStore ? "writes each model's blobs into the store" : '',
    request.toHfCache ? 'rebuilds each Hugging Face repo in the cache' : '',
    request.toDir ? 'restores each file set into the folder' : '',
    request.toRegistry ? 'pushes every blob to the registry' : '',
  ].filter(Boolean);
  return `Ferry reads each volume once: it checks every volume and every blob against the signed checksums as it ${steps.join(', ')}. Nothing is committed (manifests, links, names, tags) until all of it matches.`;
}

/** Step 4: the import job, live: its phase and progress, the blobs in flight, Pause and Resume, Cancel. */
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
  // A refusal that found several problems lists each, the first in the alert and the rest below it.
  const [firstProblem, ...moreProblems] = envelope ? refusalProblems(envelope) : [];
  const running = job.state === 'running';

  return (
    <Box>
      <StepHeading title="Run" lead={leadFor(job)} />
      <JobProgress
        job={job}
        label="Import progress"
        onCancel={() => cancelJob(job.id)}
        cancelLabel="Cancel import"
        actions={running ? <PauseJobButton job={job} label="Pause import" /> : undefined}
      />
      {running && <ActiveBlobs blobs={job.progress?.active ?? []} />}
      <Stack spacing={2} sx={{ mt: 3 }}>
        {job.state === 'failed' && envelope && refused && (
          <Alert severity="error" variant="filled">
            <AlertTitle>Refused: nothing was committed</AlertTitle>
            {firstProblem ?? envelope.message} The temporary files were removed.
            {job.kind === 'import' &&
              job.request.toRegistry &&
              ' Blobs already sent to the registry are left there unreferenced, for its garbage collection to remove.'}
          </Alert>
        )}
        {job.state === 'failed' && refused && moreProblems.length > 0 && (
          <Box component="section" aria-labelledby="more-problems-heading">
            <Typography variant="h3" id="more-problems-heading" sx={{ mb: 1 }}>
              Also found
            </Typography>
            <Stack spacing={1}>
              {moreProblems.map((problem, i) => (
                <Alert severity="error" key={i} data-problem>
                  {problem}
                </Alert>
              ))}
            </Stack>
          </Box>
        )}
        {job.state === 'failed' && envelope && !refused && <ErrorAlert error={envelope} title="The import failed" />}
        {job.state === 'cancelled' && (
          <Alert severity="info">
            <AlertTitle>The import was cancelled</AlertTitle>
            Nothing was committed to any target: no model, snapshot, file or tag appeared. Import again to start over; blobs already in the registry are not
            sent again.
          </Alert>
        )}
        {job.state === 'paused' && (
          <InterruptedJobAlert job={job} title="The import is paused" severity="info">
            Nothing was committed yet. Resume reads the volumes again from the first and checks every byte anew; blobs already in the registry are not sent
            again, and a blob cut short goes on from the offset the registry confirmed.
          </InterruptedJobAlert>
        )}
        {job.state === 'interrupted' && (
          <InterruptedJobAlert job={job} title="The import was interrupted">
            Ferry stopped before it finished. Resume it to finish the rest.
          </InterruptedJobAlert>
        )}
      </Stack>
      <StepActions
        back={!running ? <Button onClick={() => (refused ? chooseAnother() : setStep(2))}>{refused ? 'Choose another folder' : 'Back'}</Button> : undefined}
      >
        {job.state === 'completed' && (
          <Button variant="contained" onClick={() => setStep(4)}>
            Next
          </Button>
        )}
      </StepActions>
    </Box>
  );
}

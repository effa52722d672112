import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { JobProgress } from '../../components/JobProgress';
import { StepActions, StepHeading } from '../../components/StepParts';
import { DiscardExportDialog } from '../../domain/jobs/DiscardExportDialog';
import { InterruptedJobAlert } from '../../domain/jobs/InterruptedJobAlert';
import { cancelJob, useJob } from '../../domain/jobs/jobs';
import { PauseJobButton } from '../../domain/jobs/PauseJobButton';
import { useExport } from './exportStore';

/** Build: the export job, live; Pause and Resume, Cancel; a failure says why and goes Back to fix it. */
export function BuildStep() {
  const jobId = useExport((s) => s.jobId);
  const job = useJob(jobId);
  const approval = useExport((s) => s.approval);
  const { setStep, backToMedia } = useExport.getState();
  const kept = job?.error?.details?.volumesKept;
  const [discarding, setDiscarding] = useState(false);

  useEffect(() => {
    if (job?.state === 'completed') setStep('verify');
  }, [job?.state, setStep]);

  if (!job) {
    return (
      <Box>
        <StepHeading title="Build" />
        <Alert severity="warning">This export is no longer listed by Ferry. Go back and start it again.</Alert>
        <StepActions back={<Button onClick={backToMedia}>Back</Button>} />
      </Box>
    );
  }

  const discard =
    job.kind === 'export' ? (
      <Button color="inherit" onClick={() => setDiscarding(true)}>
        Discard
      </Button>
    ) : undefined;

  return (
    <Box>
      <StepHeading
        title="Build"
        lead="Ferry reads each model, image and chart once, checks every blob against its digest, writes the volumes and signs the bundle. You can leave this page: the export keeps running and Home shows its progress."
      />
      {approval?.decidedBy && job.kind === 'export' && job.request.approval === approval.id && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          Carrying out the request approved by {approval.decidedBy.name}: Ferry checks every digest against the approval before it writes.
        </Typography>
      )}
      <JobProgress
        job={job}
        label="Export progress"
        onCancel={() => cancelJob(job.id)}
        cancelLabel="Cancel export"
        actions={job.state === 'running' ? <PauseJobButton job={job} label="Pause export" /> : undefined}
      />

      <Stack spacing={2} sx={{ mt: 3 }}>
        {job.state === 'failed' && job.error && <ErrorAlert error={job.error} title="The export failed" />}
        {job.state === 'failed' && typeof kept === 'number' && (
          <InterruptedJobAlert
            job={job}
            title={kept === 1 ? 'The volume already written is kept' : `The ${kept} volumes already written are kept`}
            otherAction={discard}
          >
            Once the cause above is put right, Resume checks them and goes on with the next volume; Discard removes them.
          </InterruptedJobAlert>
        )}
        {job.state === 'cancelled' && (
          <Alert severity="info">
            <AlertTitle>The export was cancelled</AlertTitle>
            Its unfinished volumes were removed. Go back to change the choices, or build it again.
          </Alert>
        )}
        {job.state === 'interrupted' && (
          <InterruptedJobAlert job={job} title="The export was interrupted" otherAction={discard}>
            Ferry stopped before it finished (the app or the machine stopped). Resume it to check the volumes already written and go on with the next one;
            Discard removes them.
          </InterruptedJobAlert>
        )}
        {job.state === 'paused' && (
          <InterruptedJobAlert job={job} title="The export is paused" severity="info" otherAction={discard}>
            The volumes already written are kept. Resume checks them and goes on with the next volume; Discard removes them.
          </InterruptedJobAlert>
        )}
        {job.state === 'running' && (
          <Typography variant="body2" color="text.secondary">
            Writing to a slow USB stick or a network share can take a while; the rate and time left settle after a few seconds.
          </Typography>
        )}
      </Stack>

      {job.kind === 'export' && <DiscardExportDialog job={discarding ? job : null} onClose={() => setDiscarding(false)} onDiscarded={backToMedia} />}
      <StepActions back={job.state !== 'running' ? <Button onClick={backToMedia}>Back</Button> : undefined}>
        {job.state === 'completed' && (
          <Button variant="contained" onClick={() => setStep('verify')}>
            Next
          </Button>
        )}
      </StepActions>
    </Box>
  );
}

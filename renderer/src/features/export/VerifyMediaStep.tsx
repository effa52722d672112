import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { StepActions, StepHeading } from '../../components/StepParts';
import { countOf } from '../../../../shared/count.js';
import { useJob } from '../../domain/jobs/jobs';
import { exportResultOf } from '../../domain/jobs/results';
import { MediaVerifyForm } from '../../domain/media/MediaVerifyForm';
import { mediaVerdict } from '../../domain/media/MediaVerifyResult';
import { unverifiedVolumes, VerifiedMediaTable } from '../../domain/media/VerifiedMediaTable';
import { useExport } from './exportStore';

/**
 * Verify media: each medium (a USB stick, each disc) is recorded and read back in full, one after
 * another; Done once at least one medium matches, or skipped with a warning.
 */
export function VerifyMediaStep() {
  const jobId = useExport((s) => s.jobId);
  const exportJob = useJob(jobId);
  const bundle = exportResultOf(exportJob);
  const form = useExport((s) => s.mediaForm);
  const mediaJobId = useExport((s) => s.mediaJobId);
  const mediaJob = useJob(mediaJobId);
  const verified = useExport((s) => s.verifiedMedia);
  const { updateMediaForm, setMediaJob, anotherMedium, finishMedia } = useExport.getState();

  const good = verified.filter((m) => mediaVerdict(m.result).ok);
  const volumes = bundle?.volumes.map((v) => v.file) ?? [];
  const left = unverifiedVolumes(volumes, verified);
  const running = mediaJob?.state === 'running';

  return (
    <Box>
      <StepHeading
        title="Verify media"
        lead="Record each medium the bundle goes on (a USB stick, or each disc you burned) and read it back in full: every volume on it is compared with the signed SHA256SUMS, and the ledger records the medium, its seal and the result."
      />

      {!bundle && (
        <Alert severity="warning" sx={{ mb: 2.5 }}>
          The export's result is no longer listed by Ferry, so the bundle folder is not known here: choose the folder to read back from.
        </Alert>
      )}
      <MediaVerifyForm
        value={form}
        onChange={updateMediaForm}
        defaultDir={bundle ? (bundle.discs ? `${bundle.dir}/${bundle.discs[0]!.folder}` : bundle.dir) : ''}
        jobId={mediaJobId}
        onStarted={(job) => setMediaJob(job.id)}
        onAnother={anotherMedium}
        knownVolumes={bundle?.volumes}
        verifiedVolumes={volumes.filter((f) => !left.includes(f))}
      />

      {verified.length > 0 && (
        <Box sx={{ mt: 4 }}>
          <Typography variant="h3" sx={{ mb: 1 }}>
            Media verified so far
          </Typography>
          <VerifiedMediaTable media={verified} />
          {volumes.length > 0 && (
            <Typography sx={{ mt: 1.5 }} role="status">
              {left.length === 0
                ? `Every volume of the bundle (${countOf(volumes.length, 'volume')}) is on a medium that read back correctly.`
                : `${volumes.length - left.length} of ${countOf(volumes.length, 'volume')} ${volumes.length - left.length === 1 ? 'is' : 'are'} on a medium that read back correctly. Not yet: ${left.join(', ')}.`}
            </Typography>
          )}
        </Box>
      )}

      <StepActions>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, justifyContent: 'flex-end' }}>
          {good.length === 0 && !running && (
            <Typography variant="body2" color="text.secondary">
              Next is enabled once a medium reads back correctly.
            </Typography>
          )}
          <Button disabled={running} onClick={() => finishMedia(true)}>
            Skip (record later)
          </Button>
          <Button variant="contained" disabled={good.length === 0 || running} onClick={() => finishMedia(false)}>
            Next
          </Button>
        </Stack>
      </StepActions>
    </Box>
  );
}

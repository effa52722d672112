import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FolderField } from '../../components/FolderField';
import { StepActions } from '../../components/StepParts';
import { useJob } from '../../domain/jobs/jobs';
import { useImport } from './importStore';
import { VerificationProgress } from './VerificationProgress';

/** The bundle in one folder: choose it, Verify. */
export function FolderSource() {
  const { dir, verifyJobId, busy, startError } = useImport();
  const { setDir, verify } = useImport.getState();
  const job = useJob(verifyJobId);
  const running = job?.state === 'running';

  return (
    <Box>
      <FolderField
        label="Bundle folder"
        value={dir}
        onChange={setDir}
        onSubmit={() => !running && void verify()}
        purpose="bundle"
        dialogTitle="Choose the bundle folder"
        helperText="The folder that holds SHA256SUMS, BUNDLE.json and every volume."
        disabled={running}
      />
      {startError && (
        <Box sx={{ mt: 2 }}>
          <ErrorAlert error={startError} title="The verification did not start" />
        </Box>
      )}
      {job && (
        <Box sx={{ mt: 3 }}>
          <VerificationProgress job={job} />
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

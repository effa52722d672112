import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { Bytes } from '../../components/Bytes';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FolderField } from '../../components/FolderField';
import { StepActions, StepHeading } from '../../components/StepParts';
import { useAppInfo } from '../../shell/appInfoStore';
import { useJob } from '../jobs/jobsStore';
import { verifyResultOf } from '../jobs/results';
import { useImport } from './importStore';

/** Step 3: the Ollama store to import into. */
export function TargetStep() {
  const { store, busy, startError, verifyJobId } = useImport();
  const { setStore, setStep, startImport } = useImport.getState();
  const defaultStore = useAppInfo((s) => s.info?.defaultOllamaStore);
  const result = verifyResultOf(useJob(verifyJobId));
  const models = result?.artifacts.filter((a) => a.kind === 'ollama-model') ?? [];
  const total = models.reduce((sum, a) => sum + a.contentSize, 0);

  useEffect(() => {
    if (defaultStore) useImport.getState().offerDefaultStore(defaultStore);
  }, [defaultStore]);

  return (
    <Box>
      <StepHeading
        title="Target"
        lead="Choose the Ollama store to import into: the models folder Ollama serves from, on this machine or a mounted PVC or NFS share. Ferry creates it if it is missing."
      />
      <FolderField
        label="Ollama store folder"
        value={store}
        onChange={setStore}
        purpose="import-store"
        dialogTitle="Choose the Ollama store to import into"
        helperText="Models already there are kept; blobs already present are not written again."
      />
      {models.length > 0 && (
        <Typography sx={{ mt: 2 }}>
          Ferry will check every blob again as it writes {models.length} model{models.length === 1 ? '' : 's'} (<Bytes value={total} />):{' '}
          {models.map((m) => m.ref).join(', ')}.
        </Typography>
      )}
      {startError && (
        <Box sx={{ mt: 2 }}>
          <ErrorAlert error={startError} title="The import did not start" />
        </Box>
      )}
      <StepActions back={<Button onClick={() => setStep(1)}>Back</Button>}>
        <Button variant="contained" disabled={!store.trim() || busy} onClick={() => void startImport()}>
          {busy ? 'Starting…' : 'Import models'}
        </Button>
      </StepActions>
    </Box>
  );
}

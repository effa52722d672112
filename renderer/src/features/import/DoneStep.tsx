import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Digest } from '../../components/Digest';
import { StepActions, StepHeading } from '../../components/StepParts';
import { navigate } from '../../shell/router';
import { MONO, monoSmall } from '../../shell/theme';
import { useJob } from '../jobs/jobsStore';
import { importResultOf } from '../jobs/results';
import { useImport } from './importStore';
import { ResultUnavailable } from '../../components/ResultUnavailable';
import { SimpleTable } from '../../components/SimpleTable';

/** Step 5: where each model now is, with its model ID. */
export function ImportDoneStep() {
  const { importJobId, store } = useImport();
  const result = importResultOf(useJob(importJobId));
  const { reset } = useImport.getState();

  if (!result) return <ResultUnavailable what="import" againLabel="Import another bundle" onAgain={reset} />;

  const imported = result.artifacts.filter((a) => a.status === 'imported');

  return (
    <Box>
      <StepHeading title="Done" />
      <Alert severity="success" sx={{ mb: 3 }}>
        {imported.length} model{imported.length === 1 ? ' is' : 's are'} now in{' '}
        <Box component="span" sx={{ fontFamily: MONO }}>
          {store}
        </Box>
        . Ollama lists {imported.length === 1 ? 'it' : 'them'} with <code>ollama list</code>, under the same model ID as on the exporting side.
      </Alert>

      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '180px 1fr' }, columnGap: 2, rowGap: 1, m: 0, mb: 3, alignItems: 'center' }}>
        <Typography component="dt" color="text.secondary">
          Bundle digest
        </Typography>
        <Box component="dd" sx={{ m: 0 }}>
          <Digest value={result.bundleDigest} label="bundle digest" size="body" />
        </Box>
        <Typography component="dt" color="text.secondary">
          Signed by
        </Typography>
        <Box component="dd" sx={{ m: 0 }}>
          <Digest value={result.signer.fingerprint} label="signer fingerprint" size="body" /> {result.signer.trusted && <Chip size="small" color="success" label="Trusted" sx={{ ml: 1 }} />}
        </Box>
      </Box>

      <Typography variant="h3" sx={{ mb: 1 }}>
        Imported models
      </Typography>
      <SimpleTable label="Imported models" columns={['Model', 'Model ID', 'Where', { label: 'Blobs written', align: 'right' }, { label: 'Already present', align: 'right' }, 'Result']}>
        {result.artifacts.map((a) => (
          <TableRow key={a.ref + a.digest}>
            <TableCell sx={monoSmall}>{a.ref}</TableCell>
            <TableCell sx={{ fontFamily: MONO, fontSize: '0.875rem', fontWeight: 600 }}>{a.modelId ?? '—'}</TableCell>
            <TableCell sx={{ maxWidth: 420 }}>{a.destination ? <Digest value={a.destination} label={`location of ${a.ref}`} /> : '—'}</TableCell>
            <TableCell align="right">{a.blobsWritten ?? '—'}</TableCell>
            <TableCell align="right">{a.blobsAlreadyPresent ?? '—'}</TableCell>
            <TableCell>
              {a.status === 'imported' ? <Chip size="small" color="success" variant="outlined" label="Imported" /> : <Chip size="small" label="Skipped" title={a.reason} />}
              {a.status === 'skipped' && a.reason && (
                <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                  {a.reason}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
      </SimpleTable>

      <StepActions back={<Button onClick={() => navigate('ledger')}>Open the ledger</Button>}>
        <Button variant="contained" onClick={reset}>
          Import another bundle
        </Button>
      </StepActions>
    </Box>
  );
}

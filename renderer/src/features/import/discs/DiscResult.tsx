import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { StageJobResult } from '../../../../../shared/rpc.js';
import { MONO } from '../../../core/theme';
import { volumeRanges } from './volumeRanges';

/** What the last disc held and what it added, what is still missing, and what to do next. */
export function DiscResult({ result }: { result: StageJobResult }) {
  return (
    <Alert severity={result.complete ? 'success' : 'info'} role="status">
      <AlertTitle>{result.complete ? `All ${result.totalVolumes} volumes are staged` : 'This disc is copied'}</AlertTitle>
      <Line label="On this disc" files={result.onThisDisc} none="none of the bundle's volumes" />
      <Line label="Copied" files={result.copied} none="none" />
      <Line label="Already staged" files={result.alreadyStaged} none="none" />
      {result.complete ? (
        <Typography sx={{ mt: 1 }}>
          The bundle <strong>{result.name}</strong> is complete in{' '}
          <Box component="span" sx={{ fontFamily: MONO }}>
            {result.to}
          </Box>
          . Verify it next: Ferry checks the signature and every volume once more before anything is written.
        </Typography>
      ) : (
        <>
          <Line label="Still missing" files={result.missing} none="none" />
          <Typography sx={{ mt: 1, fontWeight: 600 }}>Insert the next disc, then Copy this disc.</Typography>
        </>
      )}
    </Alert>
  );
}

function Line({ label, files, none }: { label: string; files: string[]; none: string }) {
  return (
    <Typography variant="body2" sx={{ overflowWrap: 'anywhere' }} title={files.join(', ')}>
      {label}:{' '}
      {files.length > 0 ? (
        <Box component="span" sx={{ fontFamily: MONO }}>
          {volumeRanges(files)}
        </Box>
      ) : (
        none
      )}
    </Typography>
  );
}

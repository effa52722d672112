import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { StageJobResult } from '../../../../../shared/rpc.js';

/** How far the discs have got: volumes staged of the bundle's total. */
export function StagedSoFar({ result }: { result: StageJobResult }) {
  const staged = result.totalVolumes - result.missing.length;
  const text = `${staged} of ${result.totalVolumes} volumes staged`;
  return (
    <Box>
      <Typography variant="body2" sx={{ mb: 0.5, fontVariantNumeric: 'tabular-nums' }}>
        Bundle <strong>{result.name}</strong>: {text}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={result.totalVolumes > 0 ? (staged / result.totalVolumes) * 100 : 0}
        aria-label="Volumes staged"
        aria-valuetext={text}
        color={result.complete ? 'success' : 'primary'}
        sx={{ height: 8, borderRadius: 4 }}
      />
    </Box>
  );
}

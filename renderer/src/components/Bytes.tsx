import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import { formatBytes, formatExactBytes } from '../lib/format';

/** A size in binary units; the exact byte count on hover. */
export function Bytes({ value }: { value: number }) {
  return (
    <Tooltip describeChild title={formatExactBytes(value)}>
      <Box component="span" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
        {formatBytes(value)}
      </Box>
    </Tooltip>
  );
}

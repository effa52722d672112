import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import { formatLocalTime, formatUtcTime } from '../lib/format';

/** A time in local time; UTC on hover. */
export function DateTime({ iso }: { iso: string }) {
  return (
    <Tooltip describeChild title={formatUtcTime(iso)}>
      <Box component="time" dateTime={iso} sx={{ whiteSpace: 'nowrap' }}>
        {formatLocalTime(iso)}
      </Box>
    </Tooltip>
  );
}

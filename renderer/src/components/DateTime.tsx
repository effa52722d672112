import Box from '@mui/material/Box';
import { formatLocalTime, formatUtcTime } from '../lib/format';

/** A time in local time; UTC on hover (a plain title: lists show hundreds of these, and a tooltip each costs more than the row). */
export function DateTime({ iso }: { iso: string }) {
  return (
    <Box component="time" dateTime={iso} title={formatUtcTime(iso)} sx={{ whiteSpace: 'nowrap' }}>
      {formatLocalTime(iso)}
    </Box>
  );
}

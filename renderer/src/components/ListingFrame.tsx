import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { MONO } from '../core/theme';

export interface ListingFrameProps {
  /** Id of the caption, for the list's aria-labelledby. */
  labelId: string;
  /** "Folders", "Files and folders": what the list shows. */
  what: string;
  path: string | undefined;
  loading: boolean;
  empty: boolean;
  emptyText: string;
  height: number;
  children: ReactNode;
}

/** The scrolling box a folder or file browser lists into, captioned with its folder, with a loading veil. */
export function ListingFrame({ labelId, what, path, loading, empty, emptyText, height, children }: ListingFrameProps) {
  return (
    <>
      <Typography id={labelId} variant="body2" color="text.secondary" sx={{ mb: 0.5 }}>
        {what} in{' '}
        <Box component="span" sx={{ fontFamily: MONO }}>
          {path ?? '…'}
        </Box>
      </Typography>
      <Box sx={{ height, overflowY: 'auto', border: 1, borderColor: 'divider', borderRadius: 1, position: 'relative' }}>
        {loading && (
          <Box sx={{ position: 'absolute', inset: 0, display: 'grid', placeItems: 'center', bgcolor: 'background.paper', opacity: 0.8, zIndex: 1 }}>
            <CircularProgress size={28} aria-label="Loading folders" />
          </Box>
        )}
        {empty && !loading && (
          <Typography color="text.secondary" sx={{ p: 2 }}>
            {emptyText}
          </Typography>
        )}
        {children}
      </Box>
    </>
  );
}

import Box from '@mui/material/Box';
import type { ReactNode } from 'react';

export const visuallyHidden = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
} as const;

/** Text for screen readers only; with role "status", announced politely when it changes. */
export function VisuallyHidden({ children, role }: { children: ReactNode; role?: 'status' }) {
  return (
    <Box component="span" sx={visuallyHidden} role={role} aria-live={role ? 'polite' : undefined}>
      {children}
    </Box>
  );
}

import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/** A wizard step's h2 and lead line. */
export function StepHeading({ title, lead }: { title: string; lead?: ReactNode }) {
  return (
    <Box sx={{ mb: 2.5 }}>
      <Typography variant="h2">{title}</Typography>
      {lead && (
        <Typography color="text.secondary" sx={{ mt: 0.5, maxWidth: '80ch' }}>
          {lead}
        </Typography>
      )}
    </Box>
  );
}

/** The row of buttons at the foot of a step: Back on the left, the way forward on the right. */
export function StepActions({ back, children }: { back?: ReactNode; children?: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', gap: 1.5, alignItems: 'center', mt: 3, pt: 2, borderTop: 1, borderColor: 'divider' }}>
      {back}
      <Box sx={{ flex: 1 }} />
      {children}
    </Box>
  );
}

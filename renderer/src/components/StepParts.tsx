import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, type ReactNode } from 'react';

const STEP_HEADING_ID = 'step-heading';

/** A wizard step's h2 and lead line. The h2 takes the focus when the wizard moves to its step (useStepFocus). */
export function StepHeading({ title, lead }: { title: string; lead?: ReactNode }) {
  return (
    <Box sx={{ mb: 2.5 }}>
      {/* scroll-margin keeps the focused heading clear of the sticky app bar. */}
      <Typography variant="h2" id={STEP_HEADING_ID} tabIndex={-1} sx={{ scrollMarginTop: 96, '&:focus': { outline: 'none' } }}>
        {title}
      </Typography>
      {lead && (
        <Typography color="text.secondary" sx={{ mt: 0.5, maxWidth: '80ch' }}>
          {lead}
        </Typography>
      )}
    </Box>
  );
}

/**
 * When the wizard moves to another step (a button that is gone now, or the step finishing by itself),
 * the focus goes to the new step's h2, so keyboard and screen-reader users land on it rather than on
 * the page's body. Not on the page's first render: the page's h1 has the focus then.
 */
export function useStepFocus(step: unknown): void {
  const shown = useRef(step);
  useEffect(() => {
    if (shown.current === step) return;
    shown.current = step;
    document.getElementById(STEP_HEADING_ID)?.focus();
  }, [step]);
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

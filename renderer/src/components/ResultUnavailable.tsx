import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { StepActions, StepHeading } from './StepParts';

/** A Done step whose job result is gone (dismissed, or from an older run): say so and offer to start again. */
export function ResultUnavailable({ what, againLabel, onAgain }: { what: 'export' | 'import'; againLabel: string; onAgain: () => void }) {
  return (
    <Box>
      <StepHeading title="Done" />
      <Alert severity="warning">The result of this {what} is no longer available. The ledger keeps its record.</Alert>
      <StepActions>
        <Button variant="contained" onClick={onAgain}>
          {againLabel}
        </Button>
      </StepActions>
    </Box>
  );
}

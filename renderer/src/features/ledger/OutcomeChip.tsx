import Chip from '@mui/material/Chip';
import type { Outcome } from '../../../../shared/rpc.js';
import { OUTCOME_COLORS, OUTCOME_LABELS } from '../../domain/ledger/labels';

/** How an event went, as a small chip: OK, Failed, Pending. */
export function OutcomeChip({ outcome }: { outcome: Outcome | undefined }) {
  if (!outcome) return null;
  return <Chip size="small" variant={outcome === 'pending' ? 'outlined' : 'filled'} color={OUTCOME_COLORS[outcome]} label={OUTCOME_LABELS[outcome]} />;
}

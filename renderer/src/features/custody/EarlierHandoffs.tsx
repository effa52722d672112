import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { TransferReport } from '../../../../shared/rpc.js';
import { DateTime } from '../../components/DateTime';
import { Section } from '../../components/Section';
import { DetailsList } from '../../domain/ledger/DetailsList';
import { lineText, personText, stepKey } from '../../domain/ledger/labels';
import { handoffDetails } from './handoff';

/** The custody handoffs already recorded for the chosen bundle, newest first. */
export function EarlierHandoffs({ bundle, report, loading }: { bundle: string; report: TransferReport | null; loading: boolean }) {
  const earlier = (report?.steps ?? []).filter((s) => s.stage === 'custody');
  return (
    <Section title="Earlier handoffs">
      {!bundle && <Typography color="text.secondary">Choose the bundle to see its handoffs.</Typography>}
      {bundle && loading && !report && <LinearProgress aria-label="Loading the earlier handoffs" />}
      {bundle && report && earlier.length === 0 && <Typography color="text.secondary">No handoffs recorded for this bundle yet.</Typography>}
      {bundle && report && earlier.length > 0 && (
        <List disablePadding aria-label="Earlier handoffs of this bundle">
          {[...earlier].reverse().map((step) => (
            <ListItem key={stepKey(step)} disableGutters divider sx={{ display: 'block', py: 1.25 }}>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', justifyContent: 'space-between' }}>
                <Typography sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>{step.summary}</Typography>
                <Typography variant="body2" color="text.secondary" sx={{ flexShrink: 0 }}>
                  {lineText(step)}
                </Typography>
              </Stack>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 0.75 }}>
                <DateTime iso={step.time} /> · recorded by {personText(step.operator)}
              </Typography>
              {handoffDetails(step.details).length > 0 && <DetailsList details={handoffDetails(step.details)} line={lineText(step)} />}
            </ListItem>
          ))}
        </List>
      )}
    </Section>
  );
}

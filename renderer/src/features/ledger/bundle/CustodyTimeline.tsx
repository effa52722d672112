import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useId, useMemo, useState } from 'react';
import type { TransferReport } from '../../../../../shared/rpc.js';
import { DateTime } from '../../../components/DateTime';
import { eventTypeLabel } from '../../../lib/format';
import { lineText, personText, stageLabel, stepKey } from '../../../domain/ledger/labels';
import { OutcomeChip } from '../OutcomeChip';
import { DetailsList } from '../../../domain/ledger/DetailsList';

type Step = TransferReport['steps'][number];

/** Consecutive steps of one stage, in ledger order. */
function groupByStage(steps: Step[]): { stage: string; steps: Step[] }[] {
  const groups: { stage: string; steps: Step[] }[] = [];
  for (const step of steps) {
    const last = groups[groups.length - 1];
    if (last && last.stage === step.stage) last.steps.push(step);
    else groups.push({ stage: step.stage, steps: [step] });
  }
  return groups;
}

export interface CustodyTimelineProps {
  steps: Step[];
  /** A line of this ledger to point at (from ?line=): highlighted, its details open, scrolled to. */
  highlight?: number;
}

/** The chain of custody as a vertical timeline, labelled by stage: Request, Approval, Export, Media, Custody, … */
export function CustodyTimeline({ steps, highlight }: CustodyTimelineProps) {
  const groups = useMemo(() => groupByStage(steps), [steps]);
  const highlightKey = highlight !== undefined ? `line-${highlight}` : undefined;
  const [open, setOpen] = useState<Set<string>>(() => new Set(highlightKey ? [highlightKey] : []));
  const allOpen = steps.length > 0 && steps.every((s) => s.details.length === 0 || open.has(stepKey(s)));

  // A newly highlighted step opens as it is shown (adjusted while rendering, so no frame shows it closed).
  const [seenHighlight, setSeenHighlight] = useState(highlightKey);
  if (highlightKey !== seenHighlight) {
    setSeenHighlight(highlightKey);
    if (highlightKey) setOpen((o) => new Set([...o, highlightKey]));
  }

  useEffect(() => {
    if (!highlightKey) return;
    const frame = requestAnimationFrame(() => document.getElementById(highlightKey)?.scrollIntoView({ block: 'center' }));
    return () => cancelAnimationFrame(frame);
  }, [highlightKey, steps]);

  function toggle(key: string) {
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }

  if (steps.length === 0) return <Typography color="text.secondary">This ledger records no events of this bundle.</Typography>;

  return (
    <Box>
      <Box sx={{ display: 'flex', justifyContent: 'flex-end', mb: 1 }}>
        <Button
          size="small"
          onClick={() => setOpen(allOpen ? new Set() : new Set(steps.map(stepKey)))}
          startIcon={allOpen ? <ExpandLessIcon /> : <ExpandMoreIcon />}
        >
          {allOpen ? 'Hide all details' : 'Show all details'}
        </Button>
      </Box>
      <Stack spacing={2.5}>
        {groups.map((group) => (
          <StageGroup
            key={`${group.stage}-${stepKey(group.steps[0]!)}`}
            stage={group.stage}
            steps={group.steps}
            open={open}
            onToggle={toggle}
            highlightKey={highlightKey}
          />
        ))}
      </Stack>
    </Box>
  );
}

function StageGroup({
  stage,
  steps,
  open,
  onToggle,
  highlightKey,
}: {
  stage: string;
  steps: Step[];
  open: Set<string>;
  onToggle: (key: string) => void;
  highlightKey?: string;
}) {
  const headingId = useId();
  return (
    <Box component="section" aria-labelledby={headingId} data-stage={stage}>
      <Typography
        variant="overline"
        component="h3"
        id={headingId}
        color="primary"
        sx={{ display: 'block', fontWeight: 700, lineHeight: 2, letterSpacing: '0.08em' }}
      >
        {stageLabel(stage)}
      </Typography>
      <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0, borderLeft: 2, borderColor: 'divider', ml: 0.75 }}>
        {steps.map((step) => (
          <StepItem
            key={stepKey(step)}
            step={step}
            open={open.has(stepKey(step))}
            onToggle={() => onToggle(stepKey(step))}
            highlighted={highlightKey === stepKey(step)}
          />
        ))}
      </Box>
    </Box>
  );
}

function StepItem({ step, open, onToggle, highlighted }: { step: Step; open: boolean; onToggle: () => void; highlighted: boolean }) {
  const detailsId = useId();
  const dotColor = step.outcome === 'failed' ? 'error.main' : step.outcome === 'ok' ? 'success.main' : 'primary.main';
  return (
    <Box
      component="li"
      id={stepKey(step)}
      data-seq={step.seq}
      data-origin={step.origin}
      sx={{
        position: 'relative',
        pl: 3,
        py: 1,
        pr: 1,
        borderRadius: 1,
        ...(highlighted ? { outline: 2, outlineColor: 'warning.main', outlineStyle: 'solid', bgcolor: 'action.hover' } : {}),
      }}
    >
      <Box
        aria-hidden="true"
        sx={{
          position: 'absolute',
          left: -7,
          top: 16,
          width: 12,
          height: 12,
          borderRadius: '50%',
          bgcolor: dotColor,
          border: 2,
          borderColor: 'background.paper',
        }}
      />
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
        <Typography component="h4" sx={{ fontWeight: 600, fontSize: '1rem' }}>
          {eventTypeLabel(step.type)}
        </Typography>
        <OutcomeChip outcome={step.outcome} />
        <Box sx={{ flex: 1 }} />
        <Typography variant="body2" color="text.secondary">
          <DateTime iso={step.time} /> · {lineText(step)}
        </Typography>
      </Stack>
      {step.origin === 'exporter' && <Chip size="small" variant="outlined" label="From the exporter's ledger, carried in the signed bundle" sx={{ mt: 0.5 }} />}
      {step.origin === 'other-site' && <Chip size="small" variant="outlined" color="info" label="From the other site's auditor's kit" sx={{ mt: 0.5 }} />}
      <Typography sx={{ mt: 0.25, overflowWrap: 'anywhere' }}>{step.summary}</Typography>
      <Typography variant="body2" color="text.secondary">
        {personText(step.operator)} · {step.type}
      </Typography>
      {step.details.length > 0 && (
        <>
          <Button
            size="small"
            onClick={onToggle}
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={`Details of ${lineText(step)}`}
            startIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
            sx={{ mt: 0.5, ml: -0.75 }}
          >
            {/* The chevron and aria-expanded tell open from closed; the visible word stays inside the name (WCAG 2.5.3). */}
            Details
          </Button>
          <Collapse in={open}>
            <Box sx={{ mt: 1, p: 1.5, border: 1, borderColor: 'divider', borderRadius: 1 }}>
              <DetailsList details={step.details} line={lineText(step)} id={detailsId} />
            </Box>
          </Collapse>
        </>
      )}
    </Box>
  );
}

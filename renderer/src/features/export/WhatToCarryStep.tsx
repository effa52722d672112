import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { StepActions, StepHeading } from '../../components/StepParts';
import type { ComponentType } from 'react';
import { useCarryLists } from './api/queries';
import { ApprovalNotice } from './ApprovalNotice';
import { CarryTotal } from './CarryTotal';
import { type CarryTab } from './exportState';
import { useExport } from './exportStore';
import { FilesPanel } from './FilesPanel';
import { HuggingFacePanel } from './HuggingFacePanel';
import { ImagesChartsPanel } from './ImagesChartsPanel';
import { OllamaModelsPanel } from './OllamaModelsPanel';
import { resolutionStatus } from './references';

type CarryState = ReturnType<typeof useExport.getState>;

const TABS: { value: CarryTab; label: string; Panel: ComponentType }[] = [
  { value: 'models', label: 'Ollama models', Panel: OllamaModelsPanel },
  { value: 'hf', label: 'Hugging Face', Panel: HuggingFacePanel },
  { value: 'images', label: 'Images & charts', Panel: ImagesChartsPanel },
  { value: 'files', label: 'Files', Panel: FilesPanel },
];

/** Why the wizard cannot go on yet, or null when it can. */
function blocker(s: CarryState, lists: ReturnType<typeof useCarryLists>): string | null {
  const status = resolutionStatus(s);
  if (s.selected.length === 0 && status === 'none' && s.hfSelected.length === 0 && s.files.length === 0)
    return 'Choose at least one model, Hugging Face revision, image, chart or file.';
  if (s.selected.length > 0 && lists.modelsReading) return 'Reading the Ollama store…';
  if (s.hfSelected.length > 0 && lists.hfReading) return 'Reading the Hugging Face cache…';
  if (s.resolving) return 'Resolving the images and charts…';
  if (status === 'unresolved') return 'Resolve the images and charts first.';
  if (status === 'stale') return 'The images and charts changed: resolve them again.';
  if (status === 'failed') return 'Some references did not resolve: fix or remove them.';
  return null;
}

/** Step 1: Ollama models, Hugging Face revisions, registry images and charts, files; with a running total. */
export function WhatToCarryStep() {
  const s = useExport();
  const { tab } = s;
  const { setTab, setStep } = useExport.getState();
  const ids = useId();
  const lists = useCarryLists();
  const problem = blocker(s, lists);

  return (
    <Box>
      <StepHeading
        title="What to carry"
        lead="Choose what goes into the bundle: Ollama models and Hugging Face repos from this machine, container images and Helm charts from their registries, and any files."
      />
      <Box sx={{ borderBottom: 1, borderColor: 'divider' }}>
        <Tabs value={tab} onChange={(_e, value: CarryTab) => setTab(value)} aria-label="What to carry" variant="scrollable" scrollButtons="auto">
          {TABS.map((t) => (
            <Tab key={t.value} value={t.value} label={t.label} id={`${ids}-tab-${t.value}`} aria-controls={`${ids}-panel-${t.value}`} />
          ))}
        </Tabs>
      </Box>
      {TABS.map((t) => (
        <Box key={t.value} role="tabpanel" id={`${ids}-panel-${t.value}`} aria-labelledby={`${ids}-tab-${t.value}`} hidden={tab !== t.value} sx={{ pt: 3 }}>
          {tab === t.value && <t.Panel />}
        </Box>
      ))}

      <CarryTotal />
      <ApprovalNotice />

      <StepActions>
        {problem && (
          <Typography variant="body2" color="text.secondary">
            {problem}
          </Typography>
        )}
        <Button
          variant="contained"
          disabled={problem !== null}
          onClick={() => {
            if (blocker(useExport.getState(), lists) === null) setStep('media');
          }}
        >
          Next
        </Button>
      </StepActions>
    </Box>
  );
}

import Paper from '@mui/material/Paper';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import { useEffect } from 'react';
import { PageHeading } from '../../components/PageHeading';
import { useStepFocus } from '../../components/StepParts';
import { useAppInfo } from '../../core/appInfoStore';
import { ApprovalStep } from './ApprovalStep';
import { BuildStep } from './BuildStep';
import { DoneStep } from './DoneStep';
import { exportSteps, STEP_LABELS } from './exportState';
import { useExport } from './exportStore';
import { MediaStep } from './MediaStep';
import { VerifyMediaStep } from './VerifyMediaStep';
import { WhatToCarryStep } from './WhatToCarryStep';

/** Export (connected side): what to carry → media → approval (two-person rule) → build → verify media → done. */
export function ExportPage() {
  const step = useExport((s) => s.step);
  const twoPersonRule = useAppInfo((s) => s.info?.twoPersonRule === true);
  // A wizard already on Approval keeps the step even if the rule was turned off meanwhile.
  const steps = exportSteps(twoPersonRule || step === 'approval');
  const active = steps.indexOf(step);
  useStepFocus(step);
  const defaultStore = useAppInfo((s) => s.info?.defaultOllamaStore);
  const defaultHfCache = useAppInfo((s) => s.info?.defaultHfCache);

  useEffect(() => {
    if (defaultStore) useExport.getState().offerDefaultStore(defaultStore);
  }, [defaultStore]);

  useEffect(() => {
    if (defaultHfCache) useExport.getState().offerDefaultHfCache(defaultHfCache);
  }, [defaultHfCache]);

  return (
    <>
      <PageHeading
        title="Export"
        lead="Connected side: put Ollama models, Hugging Face repos, container images, Helm charts and files into a signed bundle on removable media."
      />
      <Stepper activeStep={active} sx={{ mb: 3 }}>
        {steps.map((id, i) => (
          <Step key={id} completed={i < active}>
            <StepLabel>{STEP_LABELS[id]}</StepLabel>
          </Step>
        ))}
      </Stepper>
      <Paper variant="outlined" sx={{ p: { xs: 2, md: 3 } }}>
        {step === 'carry' && <WhatToCarryStep />}
        {step === 'media' && <MediaStep />}
        {step === 'approval' && <ApprovalStep />}
        {step === 'build' && <BuildStep />}
        {step === 'verify' && <VerifyMediaStep />}
        {step === 'done' && <DoneStep />}
      </Paper>
    </>
  );
}

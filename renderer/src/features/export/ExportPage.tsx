import Paper from '@mui/material/Paper';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import { useEffect } from 'react';
import { PageHeading } from '../../components/PageHeading';
import { useAppInfo } from '../../shell/appInfoStore';
import { BuildStep } from './BuildStep';
import { DoneStep } from './DoneStep';
import { EXPORT_STEPS, useExport } from './exportStore';
import { MediaStep } from './MediaStep';
import { WhatToCarryStep } from './WhatToCarryStep';

/** Export (connected side): what to carry → media → build → done. */
export function ExportPage() {
  const step = useExport((s) => s.step);
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
      <PageHeading title="Export" lead="Connected side: put Ollama models, Hugging Face repos, container images, Helm charts and files into a signed bundle on removable media." />
      <Stepper activeStep={step} sx={{ mb: 3 }}>
        {EXPORT_STEPS.map((label, i) => (
          <Step key={label} completed={i < step}>
            <StepLabel>{label}</StepLabel>
          </Step>
        ))}
      </Stepper>
      <Paper variant="outlined" sx={{ p: { xs: 2, md: 3 } }}>
        {step === 0 && <WhatToCarryStep />}
        {step === 1 && <MediaStep />}
        {step === 2 && <BuildStep />}
        {step === 3 && <DoneStep />}
      </Paper>
    </>
  );
}

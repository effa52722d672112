import Paper from '@mui/material/Paper';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import { PageHeading } from '../../components/PageHeading';
import { useStepFocus } from '../../components/StepParts';
import { BundleStep } from './BundleStep';
import { ImportDoneStep } from './DoneStep';
import { IMPORT_STEPS, useImport } from './importStore';
import { RunStep } from './RunStep';
import { TargetStep } from './TargetStep';
import { VerifyStep } from './VerifyStep';

/** Import (disconnected side): bundle → verify → targets → run → done. */
export function ImportPage() {
  const step = useImport((s) => s.step);
  useStepFocus(step);
  return (
    <>
      <PageHeading
        title="Import"
        lead="Disconnected side: verify a bundle, then put its models into an Ollama store, its Hugging Face repos into a cache, its files into a folder, and push any of it to a registry."
      />
      <Stepper activeStep={step} sx={{ mb: 3 }}>
        {IMPORT_STEPS.map((label, i) => (
          <Step key={label} completed={i < step}>
            <StepLabel>{label}</StepLabel>
          </Step>
        ))}
      </Stepper>
      <Paper variant="outlined" sx={{ p: { xs: 2, md: 3 } }}>
        {step === 0 && <BundleStep />}
        {step === 1 && <VerifyStep />}
        {step === 2 && <TargetStep />}
        {step === 3 && <RunStep />}
        {step === 4 && <ImportDoneStep />}
      </Paper>
    </>
  );
}

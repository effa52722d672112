import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import { useEffect, useId } from 'react';
import { StepHeading } from '../../components/StepParts';
import { useJob } from '../../domain/jobs/jobs';
import { DiscByDisc } from './discs/DiscByDisc';
import { FolderSource } from './FolderSource';
import { useImport, type BundleSource } from './importStore';

/** Step 1: where the bundle is (a folder, or discs copied one by one into a staging folder); the verification runs from here. */
export function BundleStep() {
  const source = useImport((s) => s.source);
  const verifyJobId = useImport((s) => s.verifyJobId);
  const { setSource, setStep } = useImport.getState();
  const job = useJob(verifyJobId);
  const labelId = useId();

  useEffect(() => {
    if (job && (job.state === 'completed' || job.state === 'failed')) setStep(1);
  }, [job, setStep]);

  return (
    <>
      <StepHeading
        title="Bundle"
        lead="Where is the bundle? In one folder (a USB disk, a share, or discs already copied together), or on several discs that Ferry copies one at a time into a staging folder, checking each volume as it goes."
      />
      <FormLabel id={labelId} sx={{ color: 'text.primary', fontWeight: 600 }}>
        Where is the bundle
      </FormLabel>
      <RadioGroup row aria-labelledby={labelId} value={source} onChange={(e) => setSource(e.target.value as BundleSource)} sx={{ mb: 2.5 }}>
        <FormControlLabel value="folder" control={<Radio />} label="A folder" />
        <FormControlLabel value="discs" control={<Radio />} label="Disc by disc" />
      </RadioGroup>
      {source === 'folder' ? <FolderSource /> : <DiscByDisc />}
    </>
  );
}

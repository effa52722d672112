import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import type { ReactNode } from 'react';
import { useState } from 'react';
import type { Job } from '../../../../shared/rpc.js';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useJobs } from './jobsStore';

/** A job the app did not finish (it or the machine stopped), with the Resume button. */
export function InterruptedJobAlert({ job, title, children }: { job: Job; title: string; children: ReactNode }) {
  const [resumeError, setResumeError] = useState<unknown>(null);
  const resume = async () => {
    setResumeError(null);
    try {
      await useJobs.getState().resume(job.id);
    } catch (err) {
      setResumeError(err);
    }
  };
  return (
    <>
      <Alert
        severity="warning"
        action={
          <Button color="inherit" onClick={resume}>
            Resume
          </Button>
        }
      >
        <AlertTitle>{title}</AlertTitle>
        {children}
      </Alert>
      {resumeError != null && <ErrorAlert error={resumeError} title="Could not resume" />}
    </>
  );
}

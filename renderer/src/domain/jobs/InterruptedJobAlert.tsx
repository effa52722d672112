import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import type { ReactNode } from 'react';
import { useState } from 'react';
import type { Job } from '../../../../shared/rpc.js';
import { ErrorAlert } from '../../components/ErrorAlert';
import { resumeJob } from './jobs';

/** A job that stopped before it finished (interrupted by a crash, or paused), with the Resume button. */
export function InterruptedJobAlert({
  job,
  title,
  severity = 'warning',
  otherAction,
  children,
}: {
  job: Job;
  title: string;
  severity?: 'warning' | 'info';
  /** A second way on, beside Resume. */
  otherAction?: ReactNode;
  children: ReactNode;
}) {
  const [resumeError, setResumeError] = useState<unknown>(null);
  const [resuming, setResuming] = useState(false);
  const resume = async () => {
    setResumeError(null);
    setResuming(true);
    try {
      await resumeJob(job.id);
    } catch (err) {
      setResumeError(err);
    } finally {
      setResuming(false);
    }
  };
  return (
    <>
      <Alert
        severity={severity}
        action={
          <>
            {otherAction}
            <Button color="inherit" onClick={resume} disabled={resuming}>
              Resume
            </Button>
          </>
        }
      >
        <AlertTitle>{title}</AlertTitle>
        {children}
      </Alert>
      {resumeError != null && <ErrorAlert error={resumeError} title="Could not resume" />}
    </>
  );
}

import Button from '@mui/material/Button';
import { useState } from 'react';
import type { Job } from '../../../../shared/rpc.js';
import { ErrorAlert } from '../../components/ErrorAlert';
import { pauseJob } from './jobs';

/** jobs.pause: a push finishes the chunk in flight, an export the flush under way; then the job ends paused, ready to resume. */
export function PauseJobButton({ job, label }: { job: Job; label: string }) {
  const [pausing, setPausing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <Button
        variant="outlined"
        size="small"
        disabled={pausing}
        onClick={async () => {
          setPausing(true);
          setError(null);
          try {
            await pauseJob(job.id);
          } catch (err) {
            setError(err);
            setPausing(false);
          }
        }}
      >
        {pausing ? 'Pausing…' : label}
      </Button>
      {error != null && <ErrorAlert error={error} title="Could not pause" />}
    </>
  );
}

import Alert from '@mui/material/Alert';
import type { Job } from '../../../../../shared/rpc.js';
import { toErrorEnvelope } from '../../../client';
import { JobProgress } from '../../../components/JobProgress';
import { cancelJob } from '../../../domain/jobs/jobs';
import { stageResultOf } from '../../../domain/jobs/results';
import { DiscRefused } from './DiscRefused';
import { DiscResult } from './DiscResult';

/** The copy of the disc in the drive: live, its result, or why it stopped. */
export function LatestCopy({ job, onCopyAgain }: { job: Job; onCopyAgain: () => void }) {
  const result = stageResultOf(job);
  if (job.state === 'running') {
    return <JobProgress job={job} label="Copy progress" onCancel={() => cancelJob(job.id)} cancelLabel="Cancel copy" />;
  }
  if (result) return <DiscResult result={result} />;
  if (job.state === 'failed' && job.error) return <DiscRefused error={toErrorEnvelope(job.error)} onTrusted={onCopyAgain} />;
  return (
    <Alert severity={job.state === 'cancelled' ? 'info' : 'warning'}>
      {job.state === 'cancelled' ? 'The copy was cancelled' : 'The copy was interrupted'}: the volume it was copying was not kept; volumes it had checked stay
      staged. Copy this disc again to go on.
    </Alert>
  );
}

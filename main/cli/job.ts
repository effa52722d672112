import type { Job } from '../../shared/rpc.js';
import { FerryError } from '../util/errors.js';
import { terminalProgress } from '../util/progress.js';
import type { CliClient } from './client.js';

export interface FollowOptions {
  signal: AbortSignal;
  /** The progress line's label on a terminal's stderr; none in --json mode. */
  progressLabel?: string | undefined;
  /** What Ctrl-C and SIGTERM ask of the job: cancel (the default), or pause (an export keeps its complete volumes). */
  stopWith?: 'cancel' | 'pause';
}

/**
 * Starts a job with `start` (export.start, import.verify, …), follows its job.updated events until it
 * ends, turns Ctrl-C and SIGTERM into jobs.cancel (or jobs.pause), and dismisses it: a job of the shell leaves no job file
 * for the wizard to offer. Returns the job's result, or throws its error (so the exit code follows it).
 */
export async function followJob<J extends Job>(client: CliClient, start: () => Promise<J>, opts: FollowOptions): Promise<NonNullable<J['result']>> {
  const progress = opts.progressLabel ? terminalProgress(opts.progressLabel) : undefined;
  // The runner announces the job before start() returns its id: keep every update, and pick ours once known.
  const latest = new Map<string, Job>();
  let wake = () => undefined as void;
  const unsubscribe = client.onJob((job) => {
    latest.set(job.id, job);
    if (job.progress && job.state === 'running') progress?.update(job.progress);
    wake();
  });
  let id: string | undefined;
  const method = opts.stopWith === 'pause' ? 'jobs.pause' : 'jobs.cancel';
  const cancel = () => void (id ? client.call(method, { id }).catch(() => undefined) : undefined);
  opts.signal.addEventListener('abort', cancel);
  try {
    id = (await start()).id;
    if (opts.signal.aborted) cancel();
    let job = latest.get(id);
    while (!job || job.state === 'running') {
      await new Promise<void>((resolve) => (wake = resolve));
      job = latest.get(id);
    }
    await client.call('jobs.dismiss', { id, endOfRun: true });
    if (job.state === 'completed') return job.result as NonNullable<J['result']>;
    const error = job.error ?? { code: 'INTERNAL' as const, message: `The job ended ${job.state}.`, details: {} };
    throw new FerryError(error.code, error.message, error.details ?? {});
  } finally {
    opts.signal.removeEventListener('abort', cancel);
    unsubscribe();
    progress?.done();
  }
}

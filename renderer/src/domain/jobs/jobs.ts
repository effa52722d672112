import { useQuery } from '@tanstack/react-query';
import type { Job } from '../../../../shared/rpc.js';
import { ferry, toErrorEnvelope, useConnection } from '../../client';
import { askForLogin } from './resumeLogin';
import { queryClient } from '../../core/serverState';

/** Every job the engine knows, by id. */
export type Jobs = Record<string, Job>;

const JOBS = ['jobs.list'] as const;
const NONE: Jobs = {};

function newer(a: Job | undefined, b: Job): boolean {
  // Events may cross a jobs.list answer; keep whichever the engine touched last.
  return !a || a.updatedAt <= b.updatedAt;
}

async function listJobs(): Promise<Jobs> {
  const { jobs } = await ferry().call('jobs.list', {});
  const known = queryClient.getQueryData<Jobs>(JOBS) ?? NONE;
  const next: Jobs = {};
  for (const job of jobs) next[job.id] = newer(known[job.id], job) ? job : known[job.id]!;
  return next;
}

/**
 * The jobs as a query: jobs.list, asked again on reconnection (core/serverState), and kept current
 * between answers by job.updated (startJobFeed) and by each job this window starts or changes.
 */
export function useJobList() {
  const connected = useConnection((s) => s.generation > 0);
  return useQuery({ queryKey: JOBS, queryFn: listJobs, enabled: connected, staleTime: Infinity });
}

export function useJobs(): Jobs {
  return useJobList().data ?? NONE;
}

export function useJob(id: string | null | undefined): Job | undefined {
  const jobs = useJobs();
  return id ? jobs[id] : undefined;
}

/** A job the engine reported (an event, or the answer to starting or changing it). */
export function upsertJob(job: Job): void {
  const listed = queryClient.getQueryData<Jobs>(JOBS) !== undefined;
  queryClient.setQueryData<Jobs>(JOBS, (jobs = NONE) => (newer(jobs[job.id], job) ? { ...jobs, [job.id]: job } : jobs));
  // Known before the list was read: read the whole list too.
  if (!listed) void queryClient.invalidateQueries({ queryKey: JOBS });
}

export async function cancelJob(id: string): Promise<Job> {
  const job = await ferry().call('jobs.cancel', { id });
  upsertJob(job);
  return job;
}

/**
 * Runs a stopped job again. A push that needs its registry password again (Ferry restarted since it
 * began) asks for it in the one dialog and tries once more with it; cancelling the dialog leaves
 * the job as it was.
 */
export async function resumeJob(id: string): Promise<Job | null> {
  let job: Job;
  try {
    job = await ferry().call('jobs.resume', { id });
  } catch (err) {
    const envelope = toErrorEnvelope(err);
    if (envelope.code !== 'AUTH' || envelope.details?.login !== 'needed') throw err;
    const login = await askForLogin(String(envelope.details.registry ?? 'the registry'));
    if (!login) return null;
    job = await ferry().call('jobs.resume', { id, login });
  }
  upsertJob(job);
  return job;
}

/** A registry push finishes the chunk in flight, an export the flush under way; then the job ends `paused`. */
export async function pauseJob(id: string): Promise<Job> {
  const job = await ferry().call('jobs.pause', { id });
  upsertJob(job);
  return job;
}

/** Takes a stopped job off the list; `removeKeptVolumes` also removes the volumes an export kept for Resume. */
export async function dismissJob(id: string, opts: { removeKeptVolumes?: boolean } = {}): Promise<void> {
  await ferry().call('jobs.dismiss', { id, ...opts });
  queryClient.setQueryData<Jobs>(JOBS, (jobs = NONE) => {
    const { [id]: _gone, ...rest } = jobs;
    return rest;
  });
}

/** Calls `listener` with the jobs whenever they change, wherever a screen is (for stores that follow a job). */
export function onJobsChanged(listener: (jobs: Jobs) => void): () => void {
  return queryClient.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && event.query.queryKey[0] === JOBS[0]) listener((event.query.state.data as Jobs | undefined) ?? NONE);
  });
}

let subscribed = false;

/** Feeds job.updated into the jobs once for the app's life. */
export function startJobFeed(): void {
  if (subscribed) return;
  subscribed = true;
  ferry().on('job.updated', upsertJob);
}

export const isUnfinished = (job: Job) => job.state === 'interrupted' || job.state === 'paused' || job.state === 'failed';

/**
 * A job a person meant to keep: paused, interrupted, or failed after it had moved bytes. A failed
 * attempt that did nothing (a wrong folder, an empty drive) is a notice under Home's Recent activity.
 */
export function needsAttention(job: Job): boolean {
  return isUnfinished(job) && (job.state !== 'failed' || (job.progress?.bytesDone ?? 0) > 0);
}

/** A failed attempt that did nothing: a notice, not a card. */
export const isNotice = (job: Job) => isUnfinished(job) && !needsAttention(job);

import { create } from 'zustand';
import type { ErrorEnvelope } from '../../../../shared/errors.js';
import type { Job } from '../../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../../client';

interface JobsState {
  jobs: Record<string, Job>;
  loaded: boolean;
  error: ErrorEnvelope | null;
  load: () => Promise<void>;
  upsert: (job: Job) => void;
  remove: (id: string) => void;
  cancel: (id: string) => Promise<Job>;
  resume: (id: string) => Promise<Job>;
  /** A registry push finishes the chunk in flight, then the job ends `paused`. */
  pause: (id: string) => Promise<Job>;
  dismiss: (id: string) => Promise<void>;
}

function newer(a: Job | undefined, b: Job): boolean {
  // Events may cross a jobs.list answer; keep whichever the engine touched last.
  return !a || a.updatedAt <= b.updatedAt;
}

/** Every job the engine knows: loaded by jobs.list, kept current by job.updated events. */
export const useJobs = create<JobsState>((set, get) => ({
  jobs: {},
  loaded: false,
  error: null,
  load: async () => {
    try {
      const { jobs } = await ferry().call('jobs.list', {});
      set((s) => {
        const next: Record<string, Job> = {};
        for (const job of jobs) next[job.id] = newer(s.jobs[job.id], job) ? job : s.jobs[job.id]!;
        return { jobs: next, loaded: true, error: null };
      });
    } catch (err) {
      set({ error: toErrorEnvelope(err), loaded: true });
    }
  },
  upsert: (job) => set((s) => (newer(s.jobs[job.id], job) ? { jobs: { ...s.jobs, [job.id]: job } } : s)),
  remove: (id) =>
    set((s) => {
      const { [id]: _gone, ...rest } = s.jobs;
      return { jobs: rest };
    }),
  cancel: async (id) => {
    const job = await ferry().call('jobs.cancel', { id });
    get().upsert(job);
    return job;
  },
  resume: async (id) => {
    const job = await ferry().call('jobs.resume', { id });
    get().upsert(job);
    return job;
  },
  pause: async (id) => {
    const job = await ferry().call('jobs.pause', { id });
    get().upsert(job);
    return job;
  },
  dismiss: async (id) => {
    await ferry().call('jobs.dismiss', { id });
    get().remove(id);
  },
}));

let subscribed = false;

/** Subscribes the store to job.updated once for the app's life. */
export function startJobFeed(): void {
  if (subscribed) return;
  subscribed = true;
  ferry().on('job.updated', (job) => useJobs.getState().upsert(job));
}

export function useJob(id: string | null | undefined): Job | undefined {
  return useJobs((s) => (id ? s.jobs[id] : undefined));
}

export const isUnfinished = (job: Job) => job.state === 'interrupted' || job.state === 'paused' || job.state === 'failed';

import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { Job, JobKind, JobOf, JobRequest } from '../../shared/rpc.js';
import { FerryError } from '../util/errors.js';
import { JobStore } from './job-store.js';
import type { FromWorker, JobSecrets, WorkerInput } from './messages.js';
import { JOB_THREAD } from './job-thread.js';
import { startThread } from '../util/thread-ahead.js';

const HEARTBEAT_MS = 5000;
interface Running {
  worker: Worker;
  lastSaved: number;
  pauseRequested: boolean;
}

/**
 * The one job runner: each job runs in its own worker thread (so hashing and tar never stall the
 * dispatcher), reports throttled progress, can be cancelled, and is persisted so that a job the
 * app did not finish shows up as `interrupted` on the next start, ready to resume.
 */
export class JobRunner {
  private readonly jobs = new Map<string, Job>();
  private readonly running = new Map<string, Running>();
  private readonly listeners = new Set<(job: Job) => void>();
  private readonly store: JobStore;
  /** Credentials of this process's jobs, for Resume; in memory only, so a restart asks again. */
  private readonly secrets = new Map<string, JobSecrets>();

  private constructor(private readonly home: string) {
    this.store = JobStore.forHome(home);
  }

  /**
   * `adopt`: take over the jobs FERRY_HOME/jobs holds, marking those left `running` as `interrupted`
   * (the app or the browser host, which own that list). A command-line run adopts nothing: another
   * process's job that is running right now must keep its file as it is.
   */
  static async open(home: string, opts: { adopt: boolean } = { adopt: true }): Promise<JobRunner> {
    const runner = new JobRunner(home);
    if (!opts.adopt) return runner;
    for (const job of await runner.store.loadAll()) {
      const recovered: Job = job.state === 'running' ? { ...job, state: 'interrupted', updatedAt: new Date().toISOString() } : job;
      runner.jobs.set(job.id, recovered);
      if (recovered !== job) await runner.store.save(recovered);
    }
    return runner;
  }

  onUpdate(listener: (job: Job) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): Job[] {
    return [...this.jobs.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  get(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new FerryError('NOT_FOUND', `No job ${id}.`, { job: id });
    return job;
  }

  async start<K extends JobKind>(kind: K, request: JobRequest<K>, title: string, secrets?: JobSecrets): Promise<JobOf<K>> {
    const now = new Date().toISOString();
    const job = { id: randomUUID(), kind, state: 'running', title, createdAt: now, updatedAt: now, request, progress: null } as JobOf<K>;
    if (secrets) this.secrets.set(job.id, secrets);
    await this.launch(job);
    return job;
  }

  /** Whether this process still holds the secrets the job started with (it does until it restarts). */
  holdsSecrets(id: string): boolean {
    return this.secrets.has(id);
  }

  /** Runs an interrupted, paused, failed or cancelled job again with the same request; `secrets` replace those held, in memory only. */
  async resume(id: string, secrets?: JobSecrets): Promise<Job> {
    const job = this.get(id);
    if (job.state === 'running') throw new FerryError('USAGE', `Job ${id} is already running.`, { job: id });
    if (job.state === 'completed') throw new FerryError('USAGE', `Job ${id} has completed; start a new one instead.`, { job: id });
    const { result: _result, error: _error, ...rest } = job;
    const again: Job = { ...rest, state: 'running', progress: null, updatedAt: new Date().toISOString() };
    if (secrets) this.secrets.set(id, secrets);
    await this.launch(again);
    return again;
  }

  cancel(id: string): Job {
    const job = this.get(id);
    const running = this.running.get(id);
    if (!running) throw new FerryError('USAGE', `Job ${id} is not running.`, { job: id });
    running.worker.postMessage({ type: 'cancel' });
    return job;
  }

  /** Like cancel, but the job ends `paused`: a registry push keeps its upload sessions for Resume. */
  pause(id: string): Job {
    const job = this.get(id);
    const running = this.running.get(id);
    if (!running) throw new FerryError('USAGE', `Job ${id} is not running.`, { job: id });
    running.pauseRequested = true;
    running.worker.postMessage({ type: 'pause' });
    return job;
  }

  async dismiss(id: string): Promise<void> {
    const job = this.get(id);
    if (job.state === 'running') throw new FerryError('USAGE', 'A running job cannot be dismissed; cancel it first.', { job: id });
    this.jobs.delete(id);
    this.secrets.delete(id);
    await this.store.remove(id);
  }

  /** Stops every worker; their jobs stay `running` on disk and come back as `interrupted`. */
  async close(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.worker.terminate()));
    this.running.clear();
  }

  private async launch(job: Job): Promise<void> {
    this.jobs.set(job.id, job);
    await this.store.save(job);
    const secrets = this.secrets.get(job.id);
    const input: WorkerInput = { home: this.home, kind: job.kind, request: job.request, ...(secrets ? { secrets } : {}) };
    const worker = startThread(JOB_THREAD, input);
    this.running.set(job.id, { worker, lastSaved: Date.now(), pauseRequested: false });
    this.emit(job);
    // A resumed job reuses its id: events of an earlier worker (its exit comes late under load) must not touch the new run.
    worker.on('message', (message: FromWorker) => void this.onMessage(job.id, worker, message));
    worker.on(
      'error',
      (err) => void this.finish(job.id, worker, { state: 'failed', error: { code: 'INTERNAL', message: `The job stopped unexpectedly: ${err.message}` } }),
    );
    worker.on(
      'exit',
      (code) =>
        void this.finish(job.id, worker, { state: 'failed', error: { code: 'INTERNAL', message: `The job's worker exited (code ${code}) before finishing.` } }),
    );
  }

  private async onMessage(id: string, worker: Worker, message: FromWorker): Promise<void> {
    const job = this.jobs.get(id);
    const running = this.running.get(id);
    if (!job || running?.worker !== worker) return;
    if (message.type === 'progress') {
      const updated = { ...job, progress: message.progress, updatedAt: new Date().toISOString() };
      this.jobs.set(id, updated);
      this.emit(updated);
      if (Date.now() - running.lastSaved > HEARTBEAT_MS) {
        running.lastSaved = Date.now();
        await this.store.save(updated);
      }
    } else if (message.type === 'done') {
      await this.finish(id, worker, { state: 'completed', result: message.result });
    } else {
      const stopped = message.error.code === 'CANCELLED';
      await this.finish(id, worker, {
        state: stopped && (running.pauseRequested || message.error.details?.paused) ? 'paused' : stopped ? 'cancelled' : 'failed',
        error: message.error,
      });
    }
  }

  /** Ends the run of `worker`; a no-op when the job already ended or another worker runs it now. */
  private async finish(id: string, worker: Worker, outcome: Pick<Job, 'state' | 'error'> & { result?: unknown }): Promise<void> {
    const job = this.jobs.get(id);
    if (!job || this.running.get(id)?.worker !== worker) return;
    this.running.delete(id);
    // The worker ran this job's own use case (main/jobs/use-cases.ts), so its result is of this job's kind.
    const done = { ...job, ...outcome, updatedAt: new Date().toISOString() } as Job;
    if (done.state === 'completed') this.secrets.delete(id);
    if (done.state === 'completed' && done.progress) done.progress = { ...done.progress, bytesDone: done.progress.bytesTotal, etaSeconds: 0 };
    this.jobs.set(id, done);
    await this.store.save(done);
    this.emit(done);
  }

  private emit(job: Job): void {
    for (const listener of this.listeners) listener(job);
  }
}

import type { ErrorEnvelope } from '../../shared/errors.js';
import type { Job, JobKind, JobProgress } from '../../shared/rpc.js';

/** What a job needs but must never be written with it: registry credentials, by registry host. */
export interface JobSecrets {
  credentials: [registry: string, credential: { username: string; password: string }][];
}

/** What the runner hands a worker thread. */
export interface WorkerInput {
  home: string;
  kind: JobKind;
  request: Job['request'];
  secrets?: JobSecrets;
}

/** Cancel and Pause stop now (a registry push at the next chunk boundary); a paused job ends resumable. */
export type ToWorker = { type: 'cancel' } | { type: 'pause' };

export type FromWorker = { type: 'progress'; progress: JobProgress } | { type: 'done'; result: unknown } | { type: 'failed'; error: ErrorEnvelope };

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

/** Cancel stops now; for a registry push both stop at the next chunk boundary. */
export type ToWorker = { type: 'cancel' };

export type FromWorker = { type: 'progress'; progress: JobProgress } | { type: 'done'; result: unknown } | { type: 'failed'; error: ErrorEnvelope };

import type { ErrorEnvelope } from '../../shared/errors.js';
import type { ExportRequest, ImportRequest, JobKind, JobProgress, VerifyRequest } from '../../shared/rpc.js';

/** What the runner hands a worker thread. */
export interface WorkerInput {
  home: string;
  kind: JobKind;
  request: ExportRequest | VerifyRequest | ImportRequest;
}

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: ErrorEnvelope };

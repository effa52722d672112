/** Jobs: long work run in worker threads, listed, cancelled, paused, resumed and dismissed. */
import { z } from 'zod';
import { ErrorEnvelope } from '../errors.js';
import { Empty, RegistryLogin } from './common.js';
import {
  JobKind,
  ExportJobResult,
  ExportRequest,
  ImportJobResult,
  ImportRequest,
  MediaVerifyJobResult,
  MediaVerifyRequest,
  StageJobResult,
  StageRequest,
  VerifyJobResult,
  VerifyRequest,
} from './job-kinds.js';
import type { MethodTable } from './method-table.js';

export { JobKind };

export const JobState = z.enum(['running', 'completed', 'failed', 'cancelled', 'interrupted', 'paused']);

export type JobState = z.infer<typeof JobState>;

export const JobProgress = z.object({
  bytesDone: z.number(),
  bytesTotal: z.number(),
  /** Bytes per second over the last few seconds. */
  rate: z.number(),
  etaSeconds: z.number().nullable(),
  /** What is being done now, e.g. the blob being written. */
  item: z.string(),
  /** The phase a person reads, e.g. "Reading volume 3 of 12 and pushing: 14 of 40 blobs"; bytesDone only grows within one phase. */
  phase: z.string().optional(),
  /** What a stalled job waits for, e.g. "the registry is not answering: retry 2 of 5 in 8 s". */
  waiting: z.string().optional(),
  /** Blobs in flight when several move at once (a registry push). */
  active: z.array(z.object({ digest: z.string(), repository: z.string().optional(), bytesDone: z.number(), bytesTotal: z.number() })).optional(),
});

export type JobProgress = z.infer<typeof JobProgress>;

const jobFields = {
  id: z.string(),
  state: JobState,
  /** A line a person reads: "Export of 2 models to /media/usb/models-2026-11". */
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  progress: JobProgress.nullable(),
  error: ErrorEnvelope.optional(),
};

/** What each kind of job takes and gives: adding a kind adds a line here and its use case in main/jobs/use-cases.ts. */
export const jobKinds = {
  export: { request: ExportRequest, result: ExportJobResult },
  verify: { request: VerifyRequest, result: VerifyJobResult },
  import: { request: ImportRequest, result: ImportJobResult },
  stage: { request: StageRequest, result: StageJobResult },
  'media-verify': { request: MediaVerifyRequest, result: MediaVerifyJobResult },
} as const satisfies Record<JobKind, { request: z.ZodType; result: z.ZodType }>;

/** A job of one kind: the request its method took and, once completed, the result it gave. */
function jobOf<K extends JobKind, Q extends z.ZodType, R extends z.ZodType>(kind: K, { request, result }: { request: Q; result: R }) {
  return z.object({ ...jobFields, kind: z.literal(kind), request, result: z.optional(result) });
}

export const ExportJob = jobOf('export', jobKinds['export']);
export const VerifyJob = jobOf('verify', jobKinds['verify']);
export const ImportJob = jobOf('import', jobKinds['import']);
export const StageJob = jobOf('stage', jobKinds['stage']);
export const MediaVerifyJob = jobOf('media-verify', jobKinds['media-verify']);

export const Job = z.discriminatedUnion('kind', [ExportJob, VerifyJob, ImportJob, StageJob, MediaVerifyJob]);

export type Job = z.infer<typeof Job>;
/** The job of kind K. */
export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;
/** What a job of kind K takes. */
export type JobRequest<K extends JobKind> = z.output<(typeof jobKinds)[K]['request']>;
/** What a job of kind K gives. */
export type JobResult<K extends JobKind> = z.output<(typeof jobKinds)[K]['result']>;

export const jobsMethods = {
  'jobs.list': { params: Empty, result: z.object({ jobs: z.array(Job) }) },
  'jobs.cancel': { params: z.object({ id: z.string() }), result: Job },
  /** Stops a job so that it ends paused: a registry push finishes the chunk in flight and Resume continues from the registry's offset; an import paused while it verifies is recorded as import.paused and verifies again on Resume; an export lets the flush in flight finish, keeps its complete volumes (export.paused), and Resume continues with the next volume. */
  'jobs.pause': { params: z.object({ id: z.string() }), result: Job },
  /**
   * Runs a stopped job again. A push whose registry wants a password it no longer has in memory (the
   * host or app restarted) is refused with AUTH and details.login = 'needed': ask for it and pass
   * `login`, kept in memory for this job only, never in its job file.
   */
  'jobs.resume': { params: z.object({ id: z.string(), login: RegistryLogin.optional() }), result: Job },
  /**
   * Takes a stopped job off the list. `removeKeptVolumes` (an export that will not be resumed): the
   * volumes it kept and its progress record are removed from the bundle folder, unless another
   * unfinished export uses that folder; `removed` says what went. A person dismissing a stopped job
   * is recorded (attention.dismissed); `endOfRun` (the command line, which followed its own job to
   * its end and said how it ended) is housekeeping, not recorded.
   */
  'jobs.dismiss': {
    params: z.object({ id: z.string(), removeKeptVolumes: z.boolean().optional(), endOfRun: z.boolean().optional() }),
    result: z.object({ removed: z.object({ dir: z.string(), volumes: z.number().int().nonnegative() }).optional() }),
  },
} as const satisfies MethodTable;

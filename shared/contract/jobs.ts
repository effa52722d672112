/** Jobs: long work run in worker threads, listed, cancelled, paused, resumed and dismissed. */
import { z } from 'zod';
import { ErrorEnvelope } from '../errors.js';
import { Empty } from './common.js';
import {
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

export const JobKind = z.enum(['export', 'verify', 'import', 'stage', 'media-verify']);

export type JobKind = z.infer<typeof JobKind>;

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
  /** Blobs in flight when several move at once (a registry push). */
  active: z.array(z.object({ digest: z.string(), repository: z.string().optional(), bytesDone: z.number(), bytesTotal: z.number() })).optional(),
});

export type JobProgress = z.infer<typeof JobProgress>;

export const Job = z.object({
  id: z.string(),
  kind: JobKind,
  state: JobState,
  /** A line a person reads: "Export of 2 models to /media/usb/models-2026-11". */
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  // Most specific first: a union keeps the first shape that parses, and strips unknown keys.
  request: z.union([ExportRequest, ImportRequest, MediaVerifyRequest, StageRequest, VerifyRequest]),
  progress: JobProgress.nullable(),
  result: z.union([ExportJobResult, VerifyJobResult, ImportJobResult, MediaVerifyJobResult, StageJobResult]).optional(),
  error: ErrorEnvelope.optional(),
});

export type Job = z.infer<typeof Job>;

export const jobsMethods = {
  'jobs.list': { params: Empty, result: z.object({ jobs: z.array(Job) }) },
  'jobs.cancel': { params: z.object({ id: z.string() }), result: Job },
  /** Registry pushes only: finishes the chunk in flight and stops; Resume continues from the registry's offset. */
  'jobs.pause': { params: z.object({ id: z.string() }), result: Job },
  'jobs.resume': { params: z.object({ id: z.string() }), result: Job },
  'jobs.dismiss': { params: z.object({ id: z.string() }), result: z.object({}) },
} as const satisfies MethodTable;

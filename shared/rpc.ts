import { z } from 'zod';
import type { ErrorEnvelope } from './errors.js';
import { mergeMethodTables } from './contract/method-table.js';
import { appMethods, diagnosticsMethods } from './contract/app.js';
import { filesMethods } from './contract/files.js';
import { ollamaMethods } from './contract/ollama.js';
import { hfMethods } from './contract/hf.js';
import { exportMethods } from './contract/export.js';
import { importMethods } from './contract/import.js';
import { registryMethods } from './contract/registry.js';
import { jobsMethods } from './contract/jobs.js';
import { keysMethods } from './contract/keys.js';
import { ledgerMethods } from './contract/ledger.js';
import { approvalMethods } from './contract/approval.js';
import { custodyMethods } from './contract/custody.js';
import { peopleMethods } from './contract/people.js';
import { provenanceMethods } from './contract/provenance.js';
import { Job } from './contract/jobs.js';

/**
 * The one contract between the faces and the engine: every feature's method table
 * (shared/contract/<feature>.ts) merged into one, and the events. The dispatcher (main/rpc)
 * validates each request against it; both transports (Electron IPC and the browser host's
 * WebSocket) and the CLI's in-process client carry exactly these shapes.
 */
export * from './contract/common.js';
export * from './contract/job-kinds.js';
export * from './contract/jobs.js';
export * from './contract/app.js';
export * from './contract/files.js';
export * from './contract/ollama.js';
export * from './contract/hf.js';
export * from './contract/export.js';
export * from './contract/import.js';
export * from './contract/registry.js';
export * from './contract/keys.js';
export * from './contract/ledger.js';
export * from './contract/approval.js';
export * from './contract/custody.js';
export * from './contract/people.js';
export * from './contract/provenance.js';

export const methods = mergeMethodTables(
  appMethods,
  filesMethods,
  ollamaMethods,
  hfMethods,
  exportMethods,
  importMethods,
  registryMethods,
  jobsMethods,
  keysMethods,
  ledgerMethods,
  approvalMethods,
  custodyMethods,
  peopleMethods,
  provenanceMethods,
  diagnosticsMethods,
);

export type MethodName = keyof typeof methods;
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
/** Params after validation, with defaults filled in: what handlers receive. */
export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type Result<M extends MethodName> = z.output<(typeof methods)[M]['result']>;

export const events = {
  /** A job changed: state, progress (a few times a second at most), result or error. */
  'job.updated': Job,
  /** The ledger gained lines (from this window, a job, the CLI or another window): its line count and head hash now. */
  'ledger.appended': z.object({ count: z.number(), head: z.string() }),
} as const;
export type EventName = keyof typeof events;
export type EventData<E extends EventName> = z.output<(typeof events)[E]>;

/** Wire shapes, the same on both transports. */
export const RpcRequest = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type RpcResponse = { id: number } & ({ ok: true; result: unknown } | { ok: false; error: ErrorEnvelope });
export type RpcEvent = { event: EventName; data: unknown };
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorEnvelope };

/** What the renderer talks to: window.ferry in Electron, a WebSocket client in the browser host. */
export interface FerryClient {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, handler: (data: EventData<E>) => void): () => void;
}

import { methods } from '../../shared/rpc.js';
import { approvalHandlers } from '../custody/approval-methods.js';
import { custodyHandlers } from '../custody/methods.js';
import { diagnosticsHandlers } from '../diagnostics/methods.js';
import { hfHandlers } from '../hf/methods.js';
import { jobsHandlers } from '../jobs/methods.js';
import { keysHandlers } from '../keys/methods.js';
import { peopleHandlers } from '../people/methods.js';
import { provenanceHandlers } from '../provenance/methods.js';
import { ledgerHandlers } from '../ledger/methods.js';
import { ollamaHandlers } from '../ollama/methods.js';
import { registryHandlers } from '../registry/methods.js';
import { exportHandlers } from '../transfer/export-methods.js';
import { importHandlers } from '../transfer/import-methods.js';
import { appHandlers } from './app-methods.js';
import type { HandlerContext } from './context.js';
import { filesHandlers } from './path-methods.js';

export type Handler = (params: unknown, ctx: HandlerContext) => Promise<unknown>;

/**
 * Every feature's methods as one table. A name two features both implement, or a method of the
 * contract nobody implements, stops the dispatcher from starting, naming it.
 */
export function composeHandlers(...sets: readonly Record<string, unknown>[]): Record<string, Handler> {
  const composed: Record<string, Handler> = {};
  for (const set of sets) {
    for (const [name, handler] of Object.entries(set)) {
      if (Object.prototype.hasOwnProperty.call(composed, name)) throw new Error(`Two features implement the method ${name}.`);
      composed[name] = handler as Handler;
    }
  }
  for (const name of Object.keys(methods)) if (!composed[name]) throw new Error(`No feature implements the method ${name}.`);
  for (const name of Object.keys(composed))
    if (!Object.prototype.hasOwnProperty.call(methods, name)) throw new Error(`The method ${name} is not in the contract.`);
  return composed;
}

export const handlers: Record<string, Handler> = composeHandlers(
  appHandlers,
  filesHandlers,
  ollamaHandlers,
  hfHandlers,
  exportHandlers,
  importHandlers,
  registryHandlers,
  jobsHandlers,
  keysHandlers,
  ledgerHandlers,
  approvalHandlers,
  custodyHandlers,
  peopleHandlers,
  provenanceHandlers,
  diagnosticsHandlers,
);

import type { z } from 'zod';
import type { JobKind } from './job-kinds.js';

/**
 * One method of the contract: what it takes and what it answers, which of its params are file-system
 * paths, and the kind of job it starts, if it starts one. The dispatcher validates the params, checks
 * each declared path against the face's path policy (main/rpc/grants.ts), then calls the method.
 */
export interface MethodSpec {
  params: z.ZodType;
  result: z.ZodType;
  /**
   * The params that are paths, dotted, `*` for every element of an array: 'store', 'files.*',
   * 'request.toRegistry.access.caFile'. One that is absent is not checked.
   */
  paths?: readonly string[];
  /** The kind of job the method starts; its result is that job. */
  job?: JobKind;
}

/** A feature's methods, by name ("feature.verb"). */
export type MethodTable = Record<string, MethodSpec>;

type Merged<T extends readonly MethodTable[]> = T extends readonly [infer First, ...infer Rest extends readonly MethodTable[]] ? First & Merged<Rest> : unknown;

/** The features' tables as one; a name two features both claim is refused, naming it. */
export function mergeMethodTables<T extends readonly MethodTable[]>(...tables: T): Merged<T> {
  const merged: MethodTable = {};
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table)) {
      if (Object.prototype.hasOwnProperty.call(merged, name)) throw new Error(`The contract names the method ${name} twice.`);
      merged[name] = spec;
    }
  }
  return merged as Merged<T>;
}

import type { z } from 'zod';

/** One method of the contract: what it takes and what it answers. */
export interface MethodSpec {
  params: z.ZodType;
  result: z.ZodType;
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

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FerryError } from '../util/errors.js';

export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  operator: { type: 'string' },
  role: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** node:util parseArgs, with its errors turned into usage errors that name the command. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new FerryError('USAGE', `${(err as Error).message}. See ferry ${command} --help.`);
  }
}

export function onePositional(command: string, positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new FerryError('USAGE', `Name exactly one ${what}. See ferry ${command} --help.`);
  return positionals[0]!;
}

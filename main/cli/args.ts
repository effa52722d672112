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
    throw new FerryError(
      'USAGE',
      `${usageProblem(err as Error & { code?: string }, Object.keys({ ...GLOBAL_OPTIONS, ...options }))} See ferry ${command} --help.`,
    );
  }
}

/** parseArgs's complaint in the command line's words: an unknown option names the closest known one. */
function usageProblem(err: Error & { code?: string }, known: string[]): string {
  const unknown = err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec(err.message)?.[1] : undefined;
  if (unknown === undefined) return `${err.message.replace(/\.$/, '')}.`;
  const near = closestOption(unknown.replace(/^-+/, '').split('=')[0]!, known);
  return `Unknown option ${unknown}.${near ? ` Did you mean --${near}?` : ''}`;
}

/** The known option a mistyped one most likely meant: one holds the other (--ollama-store, --store), or a few letters differ. */
function closestOption(typed: string, known: string[]): string | undefined {
  if (typed.length < 2) return undefined;
  const contained = known.filter((name) => name.length > 2 && (typed.includes(name) || name.includes(typed)));
  if (contained.length > 0) return contained.sort((a, b) => Math.abs(a.length - typed.length) - Math.abs(b.length - typed.length))[0];
  const scored = known.map((name) => ({ name, distance: editDistance(typed, name) })).sort((a, b) => a.distance - b.distance);
  const best = scored[0];
  return best && best.distance <= Math.max(1, Math.floor(typed.length / 4)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

export function onePositional(command: string, positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new FerryError('USAGE', `Name exactly one ${what}. See ferry ${command} --help.`);
  return positionals[0]!;
}

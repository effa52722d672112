import type { z } from 'zod';
import { FerryError } from '../util/errors.js';

/**
 * A command line's request checked by the contract's own schema (the rules every face shares), a
 * refusal worded with the flag the field came from: "--name: letters, digits, . _ - only, …".
 */
export function contractRequest<S extends z.ZodType>(command: string, schema: S, request: unknown, flagOf: Readonly<Record<string, string>>): z.output<S> {
  const parsed = schema.safeParse(request);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  const flag = flagOf[field] ?? flagOf[String(issue.path[0])] ?? field;
  throw new FerryError('USAGE', `${flag}: ${issue.message}. See ferry ${command} --help.`, { field });
}

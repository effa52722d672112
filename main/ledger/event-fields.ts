import { FerryError } from '../util/errors.js';

/** Keys the ledger sets on every event; callers' fields may not supply them. */
export const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['type', 'time', 'ledgerId', 'host', 'osUser', 'operator']);

/** Compared lower-cased against every key at any depth: a cheap guard against logging credentials. */
const SECRET_KEYS: ReadonlySet<string> = new Set(['password', 'passphrase', 'token', 'secret', 'authorization']);

/** A person as a stored event names them (operator, from, to), read leniently: '?' where the name is missing. */
export function personIn(value: unknown): { name: string; role?: string } {
  const p = (value ?? {}) as { name?: unknown; role?: unknown };
  return { name: typeof p.name === 'string' ? p.name : '?', ...(typeof p.role === 'string' ? { role: p.role } : {}) };
}

const EVENT_TYPE = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;

export function assertEventType(type: unknown): asserts type is string {
  if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
    throw new FerryError('INVALID_INPUT', `Ledger event type ${JSON.stringify(type)} is not a dotted lower-case name such as "export.completed".`, { type });
  }
}

/**
 * Refuses envelope keys, secret-looking keys and anything canonicalJson would drop or mangle
 * (Date, Map, Buffer, class instances, undefined inside arrays, NaN, bigint, cycles).
 * An undefined object property is allowed and simply omitted.
 */
export function assertEventFields(fields: unknown): asserts fields is Record<string, unknown> {
  if (!isPlainObject(fields)) throw invalid('$', 'the event fields must be a plain object');
  for (const key of Object.keys(fields)) {
    if (ENVELOPE_KEYS.has(key)) throw invalid(`$.${key}`, `"${key}" is set by the ledger and cannot be overridden`);
  }
  assertLoggable(fields, '$', new Set());
}

function assertLoggable(value: unknown, where: string, ancestors: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(where, `${value} cannot be written as JSON`);
    return;
  }
  if (typeof value !== 'object') throw invalid(where, `a ${typeof value} cannot be written as JSON`);
  if (ancestors.has(value)) throw invalid(where, 'the value refers to itself');
  ancestors.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item === undefined) throw invalid(`${where}[${i}]`, 'undefined inside an array cannot be written as JSON');
      assertLoggable(item, `${where}[${i}]`, ancestors);
    });
  } else {
    if (!isPlainObject(value))
      throw invalid(where, `a ${value.constructor?.name ?? 'non-plain'} object cannot be written as JSON; pass a plain object, string or number`);
    for (const [key, item] of Object.entries(value)) {
      const at = `${where}.${key}`;
      if (SECRET_KEYS.has(key.toLowerCase())) throw invalid(at, `"${key}" looks like a secret, and secrets never belong in the ledger`);
      if (item !== undefined) assertLoggable(item, at, ancestors);
    }
  }
  ancestors.delete(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function invalid(field: string, reason: string): FerryError {
  return new FerryError('INVALID_INPUT', `Cannot record ledger field ${field}: ${reason}.`, { field });
}

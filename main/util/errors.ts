import type { ErrorCode, ErrorEnvelope } from '../../shared/errors.js';

/**
 * The one error type the engine throws on purpose. `message` says what went wrong and, where
 * there is one, what to do next; `details` names the file, blob, field or volume involved.
 */
export class FerryError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'FerryError';
  }

  toEnvelope(): ErrorEnvelope {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Wraps anything thrown into the envelope; unexpected errors become INTERNAL or IO. */
export function toEnvelope(err: unknown): ErrorEnvelope {
  if (err instanceof FerryError) return err.toEnvelope();
  // signal.throwIfAborted() throws the signal's reason: a DOMException named AbortError (its code is a number).
  if (err instanceof DOMException && err.name === 'AbortError') return { code: 'CANCELLED', message: 'Cancelled.', details: {} };
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.code === 'string' && typeof e.message === 'string') {
    if (e.code === 'ENOSPC') return { code: 'NO_SPACE', message: `${e.message}. Free some space on the destination or choose another.`, details: {} };
    if (e.code === 'ABORT_ERR') return { code: 'CANCELLED', message: 'Cancelled.', details: {} };
    return { code: 'IO', message: e.message, details: { errno: e.code, ...(e.path ? { path: e.path } : {}) } };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), details: {} };
}

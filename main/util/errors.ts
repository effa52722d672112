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

/** What to do next about a file system error the engine did not word itself (the path is in the message). */
const NEXT_STEP: Record<string, string> = {
  EACCES: 'this user may not read or write there; check its permissions, or choose another place',
  EPERM: 'this user may not read or write there; check its permissions, or choose another place',
  EROFS: 'that drive is mounted read-only; remount it writable, or choose another place',
  EIO: 'the drive reports an input/output error; check the medium and its connection, then try again',
  ENOTCONN: 'the share or drive is no longer connected; mount it again, then try again',
  ESTALE: 'the network share went away under Ferry; mount it again, then try again',
  ENOENT: 'it does not exist (a drive unplugged, a folder moved or a typo); check the path',
  ENOTDIR: 'a part of that path is a file, not a folder; check the path',
  EISDIR: 'that is a folder where a file was expected; check the path',
  EMFILE: 'too many files are open at once; close other programs, then try again',
};

/** Wraps anything thrown into the envelope; unexpected errors become INTERNAL or IO. */
export function toEnvelope(err: unknown): ErrorEnvelope {
  if (err instanceof FerryError) return err.toEnvelope();
  // signal.throwIfAborted() throws the signal's reason: a DOMException named AbortError (its code is a number).
  if (err instanceof DOMException && err.name === 'AbortError') return { code: 'CANCELLED', message: 'Cancelled.', details: {} };
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.code === 'string' && typeof e.message === 'string') {
    const details = { errno: e.code, ...(e.path ? { path: e.path } : {}) };
    if (e.code === 'ENOSPC') return { code: 'NO_SPACE', message: `${e.message}. Free some space on the destination or choose another.`, details };
    if (e.code === 'ABORT_ERR') return { code: 'CANCELLED', message: 'Cancelled.', details: {} };
    const next = NEXT_STEP[e.code];
    return { code: 'IO', message: next ? `${e.message}: ${next}` : e.message, details };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), details: {} };
}

/**
 * A file that could not be made, written or synced, named with where it was going (`item` in
 * `folder`; `file` its path): a full destination or target (NO_SPACE), or a drive that failed or went away (IO).
 * `elsewhere` is the other way on, in the words of the screen: "choose another destination".
 */
export function writeFailure(err: unknown, where: { folder: string; item: string; file: string }, elsewhere: string): unknown {
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof errno !== 'string' || err instanceof FerryError) return err;
  const { folder, item, file } = where;
  const details = { file, errno };
  if (errno === 'ENOSPC' || errno === 'EDQUOT') {
    return new FerryError('NO_SPACE', `${folder} is full: ${item} could not be written. Free some space there, or ${elsewhere}.`, details);
  }
  return new FerryError(
    'IO',
    `Could not write ${item} in ${folder} (${(err as Error).message}). Check that the drive is still connected and writable, or ${elsewhere}.`,
    details,
  );
}

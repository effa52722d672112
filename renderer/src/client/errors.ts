import type { ErrorCode, ErrorEnvelope } from '../../../shared/errors.js';

/** An engine error (or a transport failure) as the renderer sees it: the envelope as a real Error. */
export class FerryClientError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'FerryClientError';
    this.code = code;
    this.details = details;
  }

  static from(envelope: ErrorEnvelope): FerryClientError {
    return new FerryClientError(envelope.code, envelope.message, envelope.details ?? {});
  }
}

/** Anything thrown, as an envelope a screen can show. */
export function toErrorEnvelope(err: unknown): ErrorEnvelope {
  if (err instanceof FerryClientError) return { code: err.code, message: err.message, details: err.details };
  if (isEnvelope(err)) return err;
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}

export function isEnvelope(value: unknown): value is ErrorEnvelope {
  return (
    typeof value === 'object' && value !== null && typeof (value as ErrorEnvelope).code === 'string' && typeof (value as ErrorEnvelope).message === 'string'
  );
}

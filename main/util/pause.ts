import { FerryError } from './errors.js';

/** What a job's signal is aborted with when the user pauses it: the work stops as for Cancel, and ends resumable. */
export function pauseReason(): FerryError {
  return new FerryError('CANCELLED', 'Paused. Resume it to continue.', { paused: true });
}

/** Whether `signal` was aborted by a pause rather than a cancel. */
export function pausedBy(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason instanceof FerryError && signal.reason.details.paused === true;
}

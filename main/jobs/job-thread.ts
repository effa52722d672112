import type { ThreadSpec } from '../util/thread-ahead.js';

/** Each job's thread (worker.ts). Free of the engine's modules: the command line imports this first, to start it ahead. */
export const JOB_THREAD: ThreadSpec = { script: new URL('./worker.js', import.meta.url) };

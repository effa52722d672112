import { Worker } from 'node:worker_threads';
import type { ToWorker, WorkerInput } from './messages.js';

/** Free of the engine's modules: the command line imports this before anything else. */
const WORKER_URL = new URL('./worker.js', import.meta.url);

/** A job thread loading the engine before its job is known, taken by the next launch in this process. */
let ahead: { worker: Worker; exited: boolean } | undefined;

/**
 * Starts the next job's thread now, so that it loads the engine's modules while this thread loads
 * the command's (a command-line job starts about a third of a second sooner on two cores). It does
 * not keep the process alive, and a launch that finds it gone starts a thread of its own.
 */
export function startJobThreadAhead(): Worker {
  if (ahead) return ahead.worker;
  const worker = new Worker(WORKER_URL);
  const spare = { worker, exited: false };
  worker.once('exit', () => (spare.exited = true));
  worker.on('error', () => undefined); // reported by a launch that finds it exited
  worker.unref();
  ahead = spare;
  return worker;
}

/** The thread started ahead with `input` as its job, or a new thread. */
export function jobThread(input: WorkerInput): Worker {
  const spare = ahead;
  ahead = undefined;
  if (!spare || spare.exited) return new Worker(WORKER_URL, { workerData: input });
  spare.worker.ref();
  spare.worker.postMessage({ type: 'start', input } satisfies ToWorker);
  return spare.worker;
}

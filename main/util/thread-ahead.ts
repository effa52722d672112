import { parentPort, Worker, workerData, type WorkerOptions } from 'node:worker_threads';

/** A worker thread of the engine: its script and the options it always starts with. */
export interface ThreadSpec {
  script: URL;
  options?: WorkerOptions;
}

/** What a thread started ahead is sent first: its input. */
interface StartMessage {
  type: 'start';
  input: unknown;
}

/** Threads started before their input is known, by script; each taken by the next start of its script. */
const ahead = new Map<string, { worker: Worker; exited: boolean }>();

/**
 * Starts a thread of `spec` now, so that it loads its modules while this thread loads the
 * command's (on two cores, a command-line job or ledger verify gets going about 0.3 s sooner). It
 * does not keep the process alive; a start that finds it gone starts a thread of its own.
 */
export function startThreadAhead(spec: ThreadSpec): Worker {
  const known = ahead.get(spec.script.href);
  if (known && !known.exited) return known.worker;
  const worker = new Worker(spec.script, spec.options);
  const spare = { worker, exited: false };
  worker.once('exit', () => (spare.exited = true));
  worker.on('error', () => undefined); // reported by a start that finds it exited
  worker.unref();
  ahead.set(spec.script.href, spare);
  return worker;
}

/** A thread of `spec` working on `input`: the one started ahead if it is still there, else a new one. */
export function startThread(spec: ThreadSpec, input: unknown): Worker {
  const spare = ahead.get(spec.script.href);
  ahead.delete(spec.script.href);
  if (!spare || spare.exited) return new Worker(spec.script, { ...spec.options, workerData: input });
  spare.worker.ref();
  spare.worker.postMessage({ type: 'start', input } satisfies StartMessage);
  return spare.worker;
}

/** The thread's side: its input, given at its start or, for a thread started ahead, in its first message. */
export function threadInput<T>(): Promise<T> {
  if (workerData !== undefined && workerData !== null) return Promise.resolve(workerData as T);
  const port = parentPort!;
  return new Promise((resolve) => {
    const onMessage = (message: StartMessage | { type?: unknown }) => {
      if (message.type !== 'start') return;
      port.off('message', onMessage);
      resolve((message as StartMessage).input as T);
    };
    port.on('message', onMessage);
  });
}

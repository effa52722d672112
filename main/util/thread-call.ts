import { parentPort } from 'node:worker_threads';
import type { ErrorEnvelope } from '../../shared/errors.js';
import { FerryError, toEnvelope } from './errors.js';
import { startThread, threadInput, type ThreadSpec } from './thread-ahead.js';

type ThreadAnswer<T> = { ok: true; value: T } | { ok: false; error: ErrorEnvelope };

/**
 * One piece of work on a thread of its own (the one started ahead, if any), answered once: the
 * spec's script calls `answerThreadCall`. A FerryError thrown there arrives as the same FerryError
 * here (code, message, details).
 */
export function callThread<T>(spec: ThreadSpec, input: unknown): { result: Promise<T>; cancel: () => void } {
  const { script } = spec;
  const worker = startThread(spec, input);
  const result = new Promise<T>((resolve, reject) => {
    worker.once('message', (answer: ThreadAnswer<T>) => {
      if (answer.ok) resolve(answer.value);
      else reject(new FerryError(answer.error.code, answer.error.message, answer.error.details));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new FerryError('INTERNAL', `A worker thread (${script.pathname}) stopped (exit ${code}) before it answered.`)));
  });
  const cancel = () => {
    result.catch(() => undefined); // nobody waits for a cancelled call
    void worker.terminate();
  };
  return { result, cancel };
}

/** The thread's side of callThread: runs `work` on the input and posts its answer or its error. */
export function answerThreadCall<I, T>(work: (input: I) => T | Promise<T>): void {
  const post = (answer: ThreadAnswer<T>) => parentPort!.postMessage(answer);
  Promise.resolve()
    .then(() => threadInput<I>())
    .then((input) => work(input))
    .then(
      (value) => post({ ok: true, value }),
      (err: unknown) => post({ ok: false, error: toEnvelope(err) }),
    );
}

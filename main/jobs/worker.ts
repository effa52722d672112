// A worker thread is an entry point of its own: the artifact kinds are registered before a job reads a bundle.
import '../kinds.js';
import { parentPort } from 'node:worker_threads';
import { openEngine } from '../engine.js';
import { toEnvelope } from '../util/errors.js';
import { threadInput } from '../util/thread-ahead.js';
import { pauseReason } from '../util/pause.js';
import type { FromWorker, ToWorker, WorkerInput } from './messages.js';
import { ProgressReporter } from './progress-reporter.js';
import { runJob } from './use-cases.js';

const port = parentPort!;
const controller = new AbortController();
port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') controller.abort();
  if (message.type === 'pause') controller.abort(pauseReason());
});
// A thread started ahead (util/thread-ahead.ts) has loaded its modules and now waits for its job.
const input = await threadInput<WorkerInput>();
// Listening for Cancel must not keep the thread alive once the job is done.
port.unref();
const post = (message: FromWorker) => port.postMessage(message);

const progress = new ProgressReporter((p) => post({ type: 'progress', progress: p }));
const stallCheck = setInterval(() => progress.tick(), 1000);
stallCheck.unref();
const engine = await openEngine({ home: input.home });
try {
  const result = await runJob(engine, input.kind, input.request, {
    signal: controller.signal,
    ...(input.secrets ? { secrets: input.secrets } : {}),
    onProgress: (p) => progress.report(p),
    onWaiting: (text) => progress.wait(text),
  });
  post({ type: 'done', result });
} catch (err) {
  post({ type: 'failed', error: toEnvelope(err) });
} finally {
  clearInterval(stallCheck);
  engine.close();
}

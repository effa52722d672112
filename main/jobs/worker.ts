// A worker thread is an entry point of its own: the artifact kinds are registered before a job reads a bundle.
import '../kinds.js';
import { parentPort, workerData } from 'node:worker_threads';
import { openEngine } from '../engine.js';
import { toEnvelope } from '../util/errors.js';
import { pauseReason } from '../util/pause.js';
import { RateMeter } from '../util/progress.js';
import type { FromWorker, ToWorker, WorkerInput } from './messages.js';
import { runJob } from './use-cases.js';

/** Progress reaches the UI a few times a second at most, whatever the engine reports. */
const PROGRESS_INTERVAL_MS = 250;

const port = parentPort!;
const input = workerData as WorkerInput;
const controller = new AbortController();
port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') controller.abort();
  if (message.type === 'pause') controller.abort(pauseReason());
});
// Listening for Cancel must not keep the thread alive once the job is done.
port.unref();
const post = (message: FromWorker) => port.postMessage(message);

const meter = new RateMeter();
let lastPost = 0;
const engine = await openEngine({ home: input.home });
try {
  const result = await runJob(engine, input.kind, input.request, {
    signal: controller.signal,
    ...(input.secrets ? { secrets: input.secrets } : {}),
    onProgress: (p) => {
      const now = Date.now();
      meter.add(p.bytesDone, now);
      if (now - lastPost < PROGRESS_INTERVAL_MS && p.bytesDone < p.bytesTotal) return;
      lastPost = now;
      const rate = meter.rate();
      post({ type: 'progress', progress: { ...p, rate, etaSeconds: rate > 0 ? (p.bytesTotal - p.bytesDone) / rate : null } });
    },
  });
  post({ type: 'done', result });
} catch (err) {
  post({ type: 'failed', error: toEnvelope(err) });
} finally {
  engine.close();
}

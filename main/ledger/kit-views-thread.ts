import { parentPort, workerData } from 'node:worker_threads';
import { toEnvelope } from '../util/errors.js';
import { runViewsJob, type ViewsJob, type ViewsReply } from './kit-views.js';

/** The thread behind writeKitViews. */
const reply = (message: ViewsReply) => parentPort!.postMessage(message);
runViewsJob(workerData as ViewsJob).then(
  (chain) => reply({ type: 'written', chain }),
  (err: unknown) => reply({ type: 'failed', error: toEnvelope(err) }),
);

import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { checkProjection, type ProjectionThreadReply } from './projection-check.js';

/** The thread behind checkProjectionOnThread: its own connection to the ledger file. */
const { file } = workerData as { file: string };
const reply = (message: ProjectionThreadReply) => parentPort!.postMessage(message);

try {
  // Not read-only: the scratch database is attached and written; the ledger itself is only read.
  const db = new Database(file, { fileMustExist: true, timeout: 5000 });
  db.pragma('cache_size = -2000'); // one sequential pass: a small page cache keeps the process's memory down
  try {
    reply({ type: 'checked', result: checkProjection(db) });
  } finally {
    db.close();
  }
} catch (err) {
  reply({ type: 'failed', message: (err as Error).message });
}

import Database from 'better-sqlite3';
import { answerThreadCall } from '../util/thread-call.js';
import { checkProjection } from './projection-check.js';

/** The thread behind checkProjectionOnThread: its own read-only connection to the ledger file. */
answerThreadCall(({ file }: { file: string }) => {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    db.pragma('cache_size = -2000'); // one sequential pass: a small page cache keeps the process's memory down
    return checkProjection(db);
  } finally {
    db.close();
  }
});

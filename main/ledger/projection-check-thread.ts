import { answerThreadCall } from '../util/thread-call.js';
import { openReadConnection } from './line-pages.js';
import { checkProjection } from './projection-check.js';

/** The thread behind checkProjectionOnThread: its own read-only connection to the ledger file. */
answerThreadCall(({ file }: { file: string }) => {
  const db = openReadConnection(file);
  try {
    return checkProjection(db);
  } finally {
    db.close();
  }
});

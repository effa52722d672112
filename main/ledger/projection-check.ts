import type Database from 'better-sqlite3';
import { BundleProjection, PROJECTION_TABLES, projectionSchema } from './bundle-projection.js';
import { parseEventJson, splitLine } from './chain.js';
import { deriveRow } from './derive.js';
import { callThread } from '../util/thread-call.js';

export interface ProjectionCheckResult {
  /** The projection tables that disagree with the state derived again from the lines. */
  differing: string[];
}

/** The scratch database the bundle state is derived into again from the lines, to compare. */
const SHADOW = 'derived_check';
const PAGE = 2000;

/**
 * Derives the bundle state again from the lines into a scratch database attached to `db` and
 * compares it table by table with the ledger's own, in one read transaction: the lines and the
 * tables of one moment.
 */
export function checkProjection(db: Database.Database): ProjectionCheckResult {
  db.exec(`ATTACH DATABASE ':memory:' AS ${SHADOW}`);
  try {
    db.exec(projectionSchema(SHADOW, { forQueries: false }));
    return db.transaction(() => {
      const shadow = new BundleProjection(db, SHADOW, { replay: true });
      const page = db.prepare<[number, number], [number, unknown]>('SELECT seq, line FROM main.entries WHERE seq > ? ORDER BY seq LIMIT ?').raw();
      for (let after = 0; ;) {
        const lines = page.all(after, PAGE);
        for (const [seq, line] of lines) {
          const event = typeof line === 'string' ? parseEventJson(splitLine(line)?.json ?? '') : undefined;
          shadow.record(seq, event, deriveRow(event));
        }
        if (lines.length < PAGE) break;
        after = lines[lines.length - 1]![0];
      }
      const differ = (a: string, b: string, table: string) => `SELECT 1 FROM (SELECT * FROM ${a}.${table} EXCEPT SELECT * FROM ${b}.${table}) LIMIT 1`;
      const differing = PROJECTION_TABLES.filter(
        (table) =>
          db
            .prepare(`SELECT EXISTS (${differ('main', SHADOW, table)}) OR EXISTS (${differ(SHADOW, 'main', table)})`)
            .pluck()
            .get() === 1,
      );
      return { differing };
    })();
  } finally {
    db.exec(`DETACH DATABASE ${SHADOW}`);
  }
}

/**
 * The bundle state's check on a thread of its own, with its own connection to `file`, while the
 * caller walks the chain: on two cores verify takes about the longer of the two, not their sum.
 * Its read transaction may see lines appended after the caller's began; it compares the lines
 * and the tables of its own moment, so that is still a whole check.
 */
export function checkProjectionOnThread(file: string): { result: Promise<ProjectionCheckResult>; cancel: () => void } {
  return callThread<ProjectionCheckResult>(new URL('./projection-check-thread.js', import.meta.url), { file }, { youngGenerationMb: 4 });
}

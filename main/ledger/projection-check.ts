import type Database from 'better-sqlite3';
import { callThread } from '../util/thread-call.js';
import { PROJECTION_COLUMNS, PROJECTION_TABLES, type ProjectionTable } from './bundle-projection.js';
import { eventOfLine } from './chain.js';
import { deriveRow } from './derive.js';
import { linePages } from './line-pages.js';
import { projectionInput } from './projection-input.js';
import { MemoryProjectionStore } from './projection-memory.js';
import { applyToProjection } from './projection-rules.js';

export interface ProjectionCheckResult {
  /** The projection tables that disagree with the state derived again from the lines. */
  differing: ProjectionTable[];
}

/**
 * Replays the bundle state's rules (projection-rules.ts) in memory over every line and compares
 * the result with the ledger's tables, in one read transaction: the lines and the tables of one
 * moment. Each line is read as reindex reads it.
 */
export function checkProjection(db: Database.Database): ProjectionCheckResult {
  return db.transaction(() => {
    const replayed = new MemoryProjectionStore();
    for (const lines of linePages(db)) {
      for (const [seq, line] of lines) {
        const event = typeof line === 'string' ? eventOfLine(line) : undefined;
        if (event) applyToProjection(replayed, projectionInput(seq, event, deriveRow(event)));
      }
    }
    return { differing: differingTables(readStoredProjection(db), replayed.rows()) };
  })();
}

/** A small young generation keeps the thread's memory down. */
const PROJECTION_CHECK_THREAD = {
  script: new URL('./projection-check-thread.js', import.meta.url),
  options: { resourceLimits: { maxYoungGenerationSizeMb: 16 } },
};

/**
 * The bundle state's check on a thread of its own, with its own connection to `file`, while the
 * caller walks the chain and the index: on two cores verify takes about the longer of the two, not
 * their sum. Its read transaction may see lines appended after the caller's began; it compares the
 * lines and the tables of its own moment, so that is still a whole check.
 */
export function checkProjectionOnThread(file: string): { result: Promise<ProjectionCheckResult>; cancel: () => void } {
  return callThread<ProjectionCheckResult>(PROJECTION_CHECK_THREAD, { file });
}

/** Each projection table as the ledger holds it: a JSON array of its rows (PROJECTION_COLUMNS), in the order SQLite scans them. */
export type StoredProjection = Record<ProjectionTable, string>;

/**
 * The key columns each table's rows are listed by: SQLite scans a WITHOUT ROWID table in key order
 * and ledger_flag in rowid order (the order its flags were raised), and the replay lists its rows
 * the same way. (Were SQLite to scan otherwise, the texts differ and the rows are counted instead.)
 */
const KEY_COLUMNS: Record<ProjectionTable, number> = {
  bundle_state: 1,
  bundle_media: 2,
  ledger_flag: 0,
  job_bundle: 1,
  pending_job: 2,
  signer_bundle: 2,
  projection_state: 1,
  attention_dismissed: 1,
};

/** Reads the ledger's projection tables (call in the read transaction whose lines are replayed). */
export function readStoredProjection(db: Database.Database): StoredProjection {
  const stored = {} as StoredProjection;
  for (const table of PROJECTION_TABLES) {
    const columns = PROJECTION_COLUMNS[table].join(', ');
    const sql = `SELECT json_group_array(json_array(${columns})) FROM ${table}`;
    stored[table] = db.prepare<[], string>(sql).pluck().get()!;
  }
  return stored;
}

/**
 * The tables whose rows differ, as multisets, from those the rules derived again from the lines.
 * Both sides list their rows in the same order, so equal JSON texts settle it at once; otherwise
 * (another order, or SQLite spelling a value differently) the rows themselves are counted.
 */
export function differingTables(stored: StoredProjection, derived: Record<ProjectionTable, unknown[][]>): ProjectionTable[] {
  return PROJECTION_TABLES.filter((table) => {
    const rows = sortedLikeSqlite(table, derived[table]);
    if (JSON.stringify(rows) === stored[table]) return false;
    const left = new Map<string, number>();
    for (const row of JSON.parse(stored[table]) as unknown[][]) {
      const key = JSON.stringify(row);
      left.set(key, (left.get(key) ?? 0) + 1);
    }
    for (const row of rows) {
      const key = JSON.stringify(row);
      const count = left.get(key);
      if (count === undefined) return true;
      if (count === 1) left.delete(key);
      else left.set(key, count - 1);
    }
    return left.size > 0;
  });
}

/** Rows by their key columns (the leading ones); SQLite's byte order only differs above U+FFFF, which the fallback absorbs. */
function sortedLikeSqlite(table: ProjectionTable, rows: unknown[][]): unknown[][] {
  const keys = KEY_COLUMNS[table];
  if (keys === 0) return rows;
  return [...rows].sort((a, b) => {
    for (let i = 0; i < keys; i++) {
      if (a[i]! < b[i]!) return -1;
      if (a[i]! > b[i]!) return 1;
    }
    return 0;
  });
}

import type Database from 'better-sqlite3';
import { PROJECTION_COLUMNS, PROJECTION_TABLES, type ProjectionTable } from './bundle-projection.js';

/** Each projection table as the ledger holds it: a JSON array of its rows (PROJECTION_COLUMNS), in PROJECTION_ORDER. */
export type StoredProjection = Record<ProjectionTable, string>;

/** The order both sides list each table's rows in; ledger_flag has no key, its rows come in the order they were flagged. */
const PROJECTION_ORDER: Record<ProjectionTable, string> = {
  bundle_state: 'bundle',
  bundle_media: 'bundle, media',
  ledger_flag: 'rowid',
  job_bundle: 'job',
  pending_job: 'job, seq',
  signer_bundle: 'signer, bundle',
  projection_state: 'id',
  attention_dismissed: 'key',
};

/** Reads the ledger's projection tables (call in the read transaction whose lines are replayed). */
export function readStoredProjection(db: Database.Database): StoredProjection {
  const stored = {} as StoredProjection;
  for (const table of PROJECTION_TABLES) {
    const columns = PROJECTION_COLUMNS[table].join(', ');
    const sql = `SELECT json_group_array(json_array(${columns})) FROM (SELECT ${columns} FROM ${table} ORDER BY ${PROJECTION_ORDER[table]})`;
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

/** Rows in PROJECTION_ORDER's key columns (the leading ones); SQLite's byte order only differs above U+FFFF, which the fallback absorbs. */
function sortedLikeSqlite(table: ProjectionTable, rows: unknown[][]): unknown[][] {
  const keys = PROJECTION_ORDER[table] === 'rowid' ? 0 : PROJECTION_ORDER[table].split(', ').length;
  if (keys === 0) return rows;
  return [...rows].sort((a, b) => {
    for (let i = 0; i < keys; i++) {
      if (a[i]! < b[i]!) return -1;
      if (a[i]! > b[i]!) return 1;
    }
    return 0;
  });
}

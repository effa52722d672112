import Database from 'better-sqlite3';

/** Lines read per query: memory stays flat with the ledger's length. */
const PAGE = 2000;

/**
 * The lines after seq `after`, a page of `[seq, line]` at a time in seq order (a line is text, or
 * whatever the column holds in a ledger altered outside Ferry). No statement stays open between
 * pages, so rows may be written or read in between.
 */
export function* linePages(db: Database.Database, after = 0): Generator<[number, unknown][]> {
  const page = db.prepare<[number, number], [number, unknown]>('SELECT seq, line FROM entries WHERE seq > ? ORDER BY seq LIMIT ?').raw();
  for (let from = after; ;) {
    const lines = page.all(from, PAGE);
    if (lines.length > 0) yield lines;
    if (lines.length < PAGE) return;
    from = lines[lines.length - 1]![0];
  }
}

/**
 * A read-only connection to the ledger file for one sequential pass over it (verify, its second
 * thread, the auditor's kit): a small page cache keeps the process's memory down.
 */
export function openReadConnection(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  db.pragma('cache_size = -2000');
  return db;
}

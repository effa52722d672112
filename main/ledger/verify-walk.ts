import type Database from 'better-sqlite3';
import { lineHash, ZERO_HASH } from './chain.js';
import { deriveRow, type DerivedRow } from './derive.js';
import { countProblem, IndexCheck, readIndexCounts } from './index-check.js';
import { checkLineText, checkStoredLine, needsStoredBytes } from './line-check.js';
import { differingTables, readStoredProjection } from './projection-check.js';
import { projectionInput } from './projection-input.js';
import { MemoryProjectionStore } from './projection-memory.js';
import { applyToProjection } from './projection-rules.js';

export interface VerifyProblem {
  seq: number;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  count: number;
  head: string;
  problems: VerifyProblem[];
}

/** Lines read per query: memory stays flat with the ledger's length. */
const PAGE = 2000;

/**
 * Walks every line once, a page at a time, in one read transaction: each broken link, gap,
 * mislabelled or unreadable line, and on an intact chain where the derived tables disagree with
 * the lines: the index row by row, and the bundle state by replaying its rules (projection-rules.ts)
 * in memory from the lines alone and comparing every table. Each line is read, hashed and parsed
 * once for all of it. With `derivedTables: false`, only the lines.
 */
export function walkLedger(db: Database.Database, ledgerId: string, opts: { derivedTables: boolean }): VerifyResult {
  return db.transaction(() => {
    const derived = opts.derivedTables ? { index: new IndexCheck(db), projection: new MemoryProjectionStore() } : undefined;
    const walked = walkLines(db, ledgerId, derived);
    // The derived tables are checked against an intact chain; on a broken one the lines themselves are in question.
    if (!derived || walked.problems.length > 0) return walked;
    const problems = [...derived.index.problems];
    const counted = countProblem(readIndexCounts(db), derived.index.expected);
    if (counted) problems.push(counted);
    const differing = differingTables(readStoredProjection(db), derived.projection.rows());
    if (differing.length > 0) {
      const message = `the derived bundle state disagrees with the lines (${differing.join(', ')}): run ferry ledger reindex; the lines are the evidence`;
      problems.push({ seq: 0, message });
    }
    return { ...walked, ok: problems.length === 0, problems };
  })();
}

function walkLines(db: Database.Database, ledgerId: string, derived: { index: IndexCheck; projection: MemoryProjectionStore } | undefined): VerifyResult {
  const page = db.prepare<[number, number], [number, unknown]>('SELECT seq, line FROM entries WHERE seq > ? ORDER BY seq LIMIT ?').raw();
  const storedBytes = db.prepare<[number], Buffer>('SELECT CAST(line AS BLOB) FROM entries WHERE seq = ?').pluck();
  const problems: VerifyProblem[] = [];
  let prevHash = ZERO_HASH;
  let prevSeq: number | undefined;
  let referenceId = ledgerId;
  let count = 0;
  for (let after = 0; ;) {
    const lines = page.all(after, PAGE);
    const rows: { seq: number; row: DerivedRow }[] = [];
    for (const [seq, line] of lines) {
      count += 1;
      const expectedSeq = prevSeq === undefined ? 1 : prevSeq + 1;
      if (seq > expectedSeq) {
        problems.push({
          seq: expectedSeq,
          message: seq - expectedSeq === 1 ? `line ${expectedSeq} is missing` : `lines ${expectedSeq}-${seq - 1} are missing`,
        });
      }
      const raw = needsStoredBytes(line) ? storedBytes.get(seq)! : undefined;
      const event = raw ? checkStoredLine(seq, raw, prevSeq, prevHash, problems) : checkLineText(seq, line as string, prevSeq, prevHash, problems);
      if (event && seq === 1) {
        if (event.type !== 'ledger.created') problems.push({ seq, message: `line 1 is "${String(event.type)}", not ledger.created` });
        if (typeof event.ledgerId === 'string') referenceId = event.ledgerId;
      }
      if (event && event.ledgerId !== referenceId) problems.push({ seq, message: `ledgerId ${String(event.ledgerId)} differs from line 1's ${referenceId}` });
      if (derived) {
        const row = deriveRow(event);
        rows.push({ seq, row });
        if (event) applyToProjection(derived.projection, projectionInput(seq, event, row));
      }
      prevHash = lineHash(raw ?? (line as string));
      prevSeq = seq;
    }
    if (derived && problems.length === 0) derived.index.page(after, rows);
    if (lines.length < PAGE) break;
    after = lines[lines.length - 1]![0];
  }
  return { ok: problems.length === 0, count, head: prevHash, problems };
}

import type Database from 'better-sqlite3';
import type { DerivedRow } from './derive.js';

export interface IndexProblem {
  seq: number;
  message: string;
}

/** Rows the lines give the derived index: events, people named, media named. */
export interface IndexCounts {
  rows: number;
  people: number;
  media: number;
}

/** seq, type, time, bundle, job, outcome */
type StoredRow = [number, string, string, string | null, string | null, string | null];

/**
 * Checks the derived index against the lines as verify walks them, a page at a time, so each line
 * is read and parsed once for the chain and the index together: each line's event row, people and
 * media, and no row without a line. (The bundle state is checked by projection-check.ts.)
 */
export class IndexCheck {
  private readonly sql;
  readonly problems: IndexProblem[] = [];
  /** What the lines checked so far give. */
  readonly expected: IndexCounts = { rows: 0, people: 0, media: 0 };

  constructor(db: Database.Database) {
    this.sql = {
      rowsIn: db.prepare<[number, number]>('SELECT seq, type, time, bundle, job, outcome FROM event_index WHERE seq > ? AND seq <= ? ORDER BY seq'),
      peopleIn: db.prepare<[number, number]>('SELECT seq, name FROM event_person WHERE seq > ? AND seq <= ? ORDER BY seq, name'),
      mediaIn: db.prepare<[number, number]>('SELECT seq, media FROM event_media WHERE seq > ? AND seq <= ? ORDER BY seq, media'),
    };
  }

  /** The next lines in seq order (after seq `after`), each with what the index derives of its event. */
  page(after: number, lines: { seq: number; row: DerivedRow }[]): void {
    if (lines.length === 0) return;
    const to = lines[lines.length - 1]!.seq;
    // Each query returns rows in seq order: one merge walk pairs them with the lines.
    const rows = new SeqCursor(this.sql.rowsIn.raw().all(after, to) as StoredRow[]);
    const people = new SeqCursor(this.sql.peopleIn.raw().all(after, to) as [number, string][]);
    const media = new SeqCursor(this.sql.mediaIn.raw().all(after, to) as [number, string][]);
    for (const { seq, row } of lines) {
      this.expected.rows += 1;
      this.expected.people += row.people.length;
      this.expected.media += row.media.length;
      const stored = rows.take(seq);
      const disagrees =
        !stored ||
        stored[1] !== row.type ||
        stored[2] !== row.time ||
        stored[3] !== row.bundle ||
        stored[4] !== row.job ||
        stored[5] !== row.outcome ||
        !sameList(people, seq, row.people) ||
        !sameList(media, seq, row.media);
      if (disagrees) this.problems.push({ seq, message: 'the derived index disagrees with this line (run ferry ledger reindex; the lines are the evidence)' });
    }
  }
}

/** How many rows the derived index holds (read in the transaction whose lines were checked). */
export function readIndexCounts(db: Database.Database): IndexCounts {
  return db
    .prepare<[], IndexCounts>(
      'SELECT (SELECT COUNT(*) FROM event_index) AS rows, (SELECT COUNT(*) FROM event_person) AS people, (SELECT COUNT(*) FROM event_media) AS media',
    )
    .get()!;
}

/** Whether the derived index holds rows for lines that do not exist, once every line was checked. */
export function countProblem(stored: IndexCounts, expected: IndexCounts): IndexProblem | undefined {
  const { rows, people, media } = expected;
  if (stored.rows === rows && stored.people === people && stored.media === media) return undefined;
  return {
    seq: 0,
    message: `the derived index holds rows for lines that do not exist (${stored.rows} events, ${stored.people} people, ${stored.media} media; the lines give ${rows}, ${people}, ${media}): run ferry ledger reindex`,
  };
}

/** Rows ordered by their first column (a seq), walked a seq at a time without copying them. */
class SeqCursor<Row extends [number, ...unknown[]]> {
  private at = 0;
  constructor(private readonly rows: Row[]) {}

  /** Skips the rows of any seq before `seq`; returns the first row of `seq`, if any, and stays on it. */
  take(seq: number): Row | undefined {
    while (this.at < this.rows.length && this.rows[this.at]![0] < seq) this.at += 1;
    const row = this.rows[this.at];
    return row && row[0] === seq ? row : undefined;
  }

  /** The values (second column) of the rows of `seq`, moving past them. */
  valuesOf(seq: number): unknown[] {
    const values: unknown[] = [];
    for (let row = this.take(seq); row && row[0] === seq; row = this.rows[++this.at]) values.push(row[1]);
    return values;
  }
}

/** Both sides sorted here: SQLite orders by UTF-8 bytes, JavaScript by UTF-16 units, and they differ above U+FFFF. */
function sameList(stored: SeqCursor<[number, string]>, seq: number, derived: string[]): boolean {
  if (derived.length === 0) return stored.take(seq) === undefined;
  const values = stored.valuesOf(seq);
  if (values.length !== derived.length) return false;
  if (derived.length === 1) return values[0] === derived[0];
  const b = [...derived].sort();
  return values.sort().every((value, i) => value === b[i]);
}

import type Database from 'better-sqlite3';
import { deriveRow } from './derive.js';

export interface IndexProblem {
  seq: number;
  message: string;
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
  private readonly problems: IndexProblem[] = [];
  private expected = { rows: 0, people: 0, media: 0 };

  constructor(db: Database.Database) {
    this.sql = {
      rowsIn: db.prepare<[number, number]>('SELECT seq, type, time, bundle, job, outcome FROM event_index WHERE seq > ? AND seq <= ? ORDER BY seq'),
      peopleIn: db.prepare<[number, number]>('SELECT seq, name FROM event_person WHERE seq > ? AND seq <= ? ORDER BY seq, name'),
      mediaIn: db.prepare<[number, number]>('SELECT seq, media FROM event_media WHERE seq > ? AND seq <= ? ORDER BY seq, media'),
      counts: db.prepare<[], { rows: number; people: number; media: number }>(
        'SELECT (SELECT COUNT(*) FROM event_index) AS rows, (SELECT COUNT(*) FROM event_person) AS people, (SELECT COUNT(*) FROM event_media) AS media',
      ),
    };
  }

  /** The next lines in seq order (after seq `after`), each with its event (undefined where unreadable). */
  page(after: number, lines: { seq: number; event: Record<string, unknown> | undefined }[]): void {
    if (lines.length === 0) return;
    const to = lines[lines.length - 1]!.seq;
    // Each query returns rows in seq order: one merge walk pairs them with the lines.
    const rows = new SeqCursor(this.sql.rowsIn.raw().all(after, to) as StoredRow[]);
    const people = new SeqCursor(this.sql.peopleIn.raw().all(after, to) as [number, string][]);
    const media = new SeqCursor(this.sql.mediaIn.raw().all(after, to) as [number, string][]);
    for (const { seq, event } of lines) {
      const row = deriveRow(event);
      this.expected.rows += 1;
      this.expected.people += row.people.length;
      this.expected.media += row.media.length;
      const stored = rows.take(seq)[0];
      const disagrees =
        !stored ||
        stored[1] !== row.type ||
        stored[2] !== row.time ||
        stored[3] !== row.bundle ||
        stored[4] !== row.job ||
        stored[5] !== row.outcome ||
        !sameList(people.take(seq), row.people) ||
        !sameList(media.take(seq), row.media);
      if (disagrees) this.problems.push({ seq, message: 'the derived index disagrees with this line (run ferry ledger reindex; the lines are the evidence)' });
    }
  }

  /** What disagrees, once every line went through `page`. */
  finish(): IndexProblem[] {
    const counts = this.sql.counts.get()!;
    const { rows, people, media } = this.expected;
    if (counts.rows !== rows || counts.people !== people || counts.media !== media) {
      this.problems.push({
        seq: 0,
        message: `the derived index holds rows for lines that do not exist (${counts.rows} events, ${counts.people} people, ${counts.media} media; the lines give ${rows}, ${people}, ${media}): run ferry ledger reindex`,
      });
    }
    return this.problems;
  }
}

/** Rows ordered by their first column (a seq), taken a seq at a time. */
class SeqCursor<Row extends [number, ...unknown[]]> {
  private at = 0;
  constructor(private readonly rows: Row[]) {}

  /** The rows of `seq`, skipping those of any earlier seq. */
  take(seq: number): Row[] {
    while (this.at < this.rows.length && this.rows[this.at]![0] < seq) this.at += 1;
    const start = this.at;
    while (this.at < this.rows.length && this.rows[this.at]![0] === seq) this.at += 1;
    return this.rows.slice(start, this.at);
  }
}

/** Both sides sorted here: SQLite orders by UTF-8 bytes, JavaScript by UTF-16 units, and they differ above U+FFFF. */
function sameList(stored: [number, string][], derived: string[]): boolean {
  if (stored.length !== derived.length) return false;
  if (derived.length === 1) return stored[0]![1] === derived[0];
  const a = stored.map(([, value]) => value).sort();
  const b = [...derived].sort();
  return a.every((value, i) => value === b[i]);
}

import type Database from 'better-sqlite3';
import { eventOfLine } from './chain.js';
import { BundleProjection, PROJECTION_SCHEMA, PROJECTION_TABLES } from './bundle-projection.js';
import { deriveRow } from './derive.js';
import { linePages } from './line-pages.js';

/** Raise when what the index derives changes: a ledger indexed by another version is rebuilt on open. */
const INDEX_VERSION = 3;

/**
 * Tables derived from the lines (by type, bundle, job, time and outcome; every person and medium an
 * event names), written in the same transaction as each line. The lines are the evidence: these
 * are rebuilt from them (`reindex`), and `check` says where they disagree.
 */
export const DERIVED_SCHEMA = `
CREATE TABLE IF NOT EXISTS event_index(seq INTEGER PRIMARY KEY, type TEXT NOT NULL, time TEXT NOT NULL, bundle TEXT, job TEXT, outcome TEXT);
CREATE INDEX IF NOT EXISTS event_index_type ON event_index(type, seq);
CREATE INDEX IF NOT EXISTS event_index_bundle ON event_index(bundle, seq);
CREATE INDEX IF NOT EXISTS event_index_job ON event_index(job, seq);
CREATE INDEX IF NOT EXISTS event_index_time ON event_index(time, seq);
CREATE TABLE IF NOT EXISTS event_person(seq INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY(seq, name)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_person_name ON event_person(name COLLATE NOCASE, seq);
CREATE TABLE IF NOT EXISTS event_media(seq INTEGER NOT NULL, media TEXT NOT NULL, PRIMARY KEY(seq, media)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_media_id ON event_media(media COLLATE NOCASE, seq);
CREATE TABLE IF NOT EXISTS derived_state(id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, through INTEGER NOT NULL);
${PROJECTION_SCHEMA}`;

/**
 * The index tables' secondary indexes, which a rebuild drops and builds again at the end (a sort,
 * rather than a B-tree insert per row). The bundle state's stay: its rules look rows up through them.
 */
const EVENT_INDEXES = [...DERIVED_SCHEMA.matchAll(/CREATE INDEX IF NOT EXISTS (event_\w+) ON/g)].map((match) => match[1]!);

/** A page of events by what the index knows; every field optional. Times are ISO 8601 UTC, inclusive. */
export interface IndexQuery {
  type?: string | undefined;
  /** Hex digits the bundle digest starts with (without sha256:); events of the bundle's export job count too. */
  bundleHex?: string | undefined;
  /** Exactly this bundle digest, or this job, as the event itself names it. */
  bundle?: string | undefined;
  job?: string | undefined;
  /** Part of the name of any person the event names, any case. */
  person?: string | undefined;
  media?: string | undefined;
  outcome?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  /** Newest first, from before this seq; or oldest first, from after it. */
  order: 'newest' | 'oldest';
  from?: number | undefined;
  limit: number;
}

export class DerivedIndex {
  private readonly sql;
  private readonly bundles: BundleProjection;

  constructor(private readonly db: Database.Database) {
    this.bundles = new BundleProjection(db);
    this.sql = {
      // A seq can come again after lines were removed outside Ferry: its derived rows are replaced.
      row: db.prepare<[number, string, string, string | null, string | null, string | null]>(
        'INSERT OR REPLACE INTO event_index(seq, type, time, bundle, job, outcome) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      forget: [db.prepare<[number]>('DELETE FROM event_person WHERE seq = ?'), db.prepare<[number]>('DELETE FROM event_media WHERE seq = ?')],
      bundles: db.prepare<[string, number], string>('SELECT DISTINCT bundle FROM event_index WHERE bundle GLOB ? LIMIT ?').pluck(),
      bundleOfJob: db.prepare<[string], string | null>("SELECT bundle FROM event_index WHERE job = ? AND bundle GLOB 'sha256:*' ORDER BY seq LIMIT 1").pluck(),
      lastSeq: db.prepare<[], number | null>('SELECT MAX(seq) FROM entries').pluck(),
      person: db.prepare<[number, string]>('INSERT OR IGNORE INTO event_person(seq, name) VALUES (?, ?)'),
      media: db.prepare<[number, string]>('INSERT OR IGNORE INTO event_media(seq, media) VALUES (?, ?)'),
      through: db.prepare<[number, number]>(
        'INSERT INTO derived_state(id, version, through) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version, through = excluded.through',
      ),
      state: db.prepare<[], { version: number; through: number }>('SELECT version, through FROM derived_state WHERE id = 1'),
    };
  }

  /** One page of the lines whose events match `q`, in `q.order`; each query is bounded by `q.limit`. */
  query(q: IndexQuery): { seq: number; line: string }[] {
    const where: string[] = [];
    const args: Record<string, string | number> = { limit: q.limit };
    const add = (clause: string, name: string, value: string | number) => {
      where.push(clause);
      args[name] = value;
    };
    if (q.type !== undefined) add('e.type = @type', 'type', q.type);
    if (q.bundleHex !== undefined) {
      if (!/^[0-9a-f]*$/.test(q.bundleHex)) return [];
      add(
        '(e.bundle GLOB @bundle OR e.job IN (SELECT job FROM event_index WHERE bundle GLOB @bundle AND job IS NOT NULL))',
        'bundle',
        `sha256:${q.bundleHex}*`,
      );
    }
    if (q.bundle !== undefined) add('e.bundle = @exactBundle', 'exactBundle', q.bundle);
    if (q.job !== undefined) add('e.job = @job', 'job', q.job);
    if (q.person !== undefined) {
      add("EXISTS (SELECT 1 FROM event_person p WHERE p.seq = e.seq AND p.name LIKE @person ESCAPE '\\')", 'person', `%${likeEscaped(q.person)}%`);
    }
    if (q.media !== undefined) {
      add("EXISTS (SELECT 1 FROM event_media m WHERE m.seq = e.seq AND m.media LIKE @media ESCAPE '\\')", 'media', `%${likeEscaped(q.media)}%`);
    }
    if (q.outcome !== undefined) add('e.outcome = @outcome', 'outcome', q.outcome);
    if (q.since !== undefined) add('e.time >= @since', 'since', q.since);
    if (q.until !== undefined) add('e.time <= @until', 'until', q.until);
    if (q.from !== undefined) add(q.order === 'newest' ? 'e.seq < @from' : 'e.seq > @from', 'from', q.from);
    const sql = `SELECT e.seq AS seq, x.line AS line FROM event_index e JOIN entries x ON x.seq = e.seq${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY e.seq ${q.order === 'newest' ? 'DESC' : 'ASC'} LIMIT @limit`;
    return this.db.prepare<Record<string, string | number>, { seq: number; line: string }>(sql).all(args);
  }

  /** Bundle digests that start with `sha256:` + `hex`, at most `limit` of them. */
  bundlesStartingWith(hex: string, limit: number): string[] {
    return this.sql.bundles.all(`sha256:${hex}*`, limit);
  }

  /** The bundle an export job produced, once its export.completed is recorded. */
  bundleOfJob(job: string): string | undefined {
    return this.sql.bundleOfJob.get(job) ?? undefined;
  }

  /** Indexes one line just appended; call inside the append's transaction. */
  record(seq: number, event: Record<string, unknown> | undefined): void {
    this.insert(seq, event);
    this.sql.through.run(INDEX_VERSION, seq);
  }

  /** Brings the index up to the last line: rebuilt when another version made it or lines were removed, extended over lines written without it. */
  catchUp(): void {
    const state = this.sql.state.get();
    // Indexed past the last line: lines were removed outside Ferry (verify and the checkpoints show that, not the index).
    if (!state || state.version !== INDEX_VERSION || state.through > (this.sql.lastSeq.get() ?? 0)) this.rebuild();
    else this.indexFrom(state.through);
  }

  /** Drops the derived tables' rows and derives them again from the lines alone. Returns the lines indexed. */
  rebuild(): number {
    this.db.exec(['event_index', 'event_person', 'event_media', 'derived_state', ...PROJECTION_TABLES].map((table) => `DELETE FROM main.${table};`).join(' '));
    this.db.exec(EVENT_INDEXES.map((name) => `DROP INDEX IF EXISTS main.${name};`).join(' '));
    const last = this.indexLines(0, { fresh: true });
    this.db.exec(DERIVED_SCHEMA);
    this.sql.through.run(INDEX_VERSION, last.seq);
    return last.indexed;
  }

  private indexFrom(after: number): number {
    const last = this.indexLines(after, { fresh: false });
    this.sql.through.run(INDEX_VERSION, last.seq);
    return last.indexed;
  }

  /** Indexes the lines after seq `after` (`fresh`: into emptied tables). */
  private indexLines(after: number, opts: { fresh: boolean }): { seq: number; indexed: number } {
    let seq = after;
    let indexed = 0;
    for (const lines of linePages(this.db, after)) {
      for (const [lineSeq, line] of lines) this.insert(lineSeq, eventOfLine(line as string), opts);
      seq = lines[lines.length - 1]![0];
      indexed += lines.length;
    }
    return { seq, indexed };
  }

  /** The event's index rows (its row, people and media) and its part of the bundle state; `fresh`: into emptied tables. */
  private insert(seq: number, event: Record<string, unknown> | undefined, opts: { fresh: boolean } = { fresh: false }): void {
    const row = deriveRow(event);
    if (!opts.fresh) for (const forget of this.sql.forget) forget.run(seq);
    this.sql.row.run(seq, row.type, row.time, row.bundle, row.job, row.outcome);
    for (const name of row.people) this.sql.person.run(seq, name);
    for (const media of row.media) this.sql.media.run(seq, media);
    this.bundles.record(seq, event, row);
  }
}

function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

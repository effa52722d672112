import Database from 'better-sqlite3';
import { randomUUID, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signDer } from '../keys/keys.js';
import { canonicalJson } from '../util/canonical-json.js';
import { restrictToOwner } from '../util/home.js';
import { FerryError } from '../util/errors.js';
import { eventOfLine, formatLine, lineHash, splitLine, ZERO_HASH } from './chain.js';
import { formatCheckpoint } from './checkpoint.js';
import { BundleStateQueries } from './bundle-state-queries.js';
import { DERIVED_SCHEMA, DerivedIndex, type IndexQuery } from './derived-index.js';
import { ledgerIdFromFirstLine } from './line-check.js';
import { openReadConnection } from './line-pages.js';
import { walkLedger, type VerifyResult } from './verify-walk.js';
import type { EventFields, EventType } from '../../shared/ledger-events.js';
import { assertEventFields, assertEventType } from './event-fields.js';

/** The person at the keyboard, as asserted to Ferry (not authenticated by it). */
export interface Person {
  name: string;
  role?: string;
}

/** A stored event as JSON, before it is read with shared/ledger-events.ts (parseLedgerEvent). */
export type StoredEvent = Record<string, unknown>;

export interface AppendResult {
  seq: number;
  line: string;
  event: StoredEvent;
}

export interface LedgerHead {
  count: number;
  head: string;
}

export type { VerifyProblem, VerifyResult } from './verify-walk.js';

export interface Checkpoint {
  text: string;
  /** DER, as `openssl dgst -sha256 -verify` expects. */
  signature: Buffer;
  count: number;
  head: string;
  time: string;
}

export interface LedgerEntry {
  seq: number;
  event: StoredEvent;
}

export interface EventFilter {
  type?: string;
  bundle?: string;
  job?: string;
  outcome?: string;
}

export function ledgerPath(home: string): string {
  return path.join(home, 'ledger.sqlite');
}

// Long enough for the other process (CLI or app) to finish an fsync'd append.
const BUSY_TIMEOUT_MS = 10_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries(seq INTEGER PRIMARY KEY, line TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: DELETE refused'); END;
CREATE TRIGGER IF NOT EXISTS entries_insert_at_end BEFORE INSERT ON entries
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM entries) OR typeof(NEW.line) IS NOT 'text'
BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only: INSERT must take the next seq'); END;
CREATE INDEX IF NOT EXISTS entries_count ON entries(seq);
`;
// entries_count is the seq column alone: COUNT(*), the checkpoint's gap check, reads it (about 1 MB
// at 140,000 lines) rather than every line (about 100 MB).
// entries_insert_at_end exists because INSERT OR REPLACE deletes the old row without firing
// DELETE triggers (recursive_triggers is off); refusing any seq but max+1 closes that door.

interface RawRow {
  seq: number;
  raw: Buffer;
}

interface TailRow extends RawRow {
  count: number;
}

interface LineRow {
  seq: number;
  line: string;
}

const MATCH_PAGE = 1000;
const INSERT_SQL = 'INSERT INTO entries(seq, line) VALUES (?, ?)';
// COUNT(*) walks the whole table: only the checkpoint's gap check pays for it, not every append or head().
const TAIL_SQL = 'SELECT (SELECT COUNT(*) FROM entries) AS count, seq, CAST(line AS BLOB) AS raw FROM entries ORDER BY seq DESC LIMIT 1';
const LAST_SQL = 'SELECT seq, CAST(line AS BLOB) AS raw FROM entries ORDER BY seq DESC LIMIT 1';

export class Ledger {
  private readonly statements;
  private readonly index: DerivedIndex;
  private readonly operator: Person;
  private readonly osUser: string;
  /** The bundles' state and open flags, materialised with every append (bundle-projection.ts). */
  readonly bundleState: BundleStateQueries;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    readonly ledgerId: string,
    operator: Person,
  ) {
    this.operator = operator;
    this.osUser = osUserName();
    this.index = new DerivedIndex(db);
    this.bundleState = new BundleStateQueries(db);
    this.statements = {
      // Read as BLOB so hashes cover the stored bytes, whatever they are.
      tail: db.prepare<[], TailRow>(TAIL_SQL),
      last: db.prepare<[], RawRow>(LAST_SQL),
      insert: db.prepare<[number, string]>(INSERT_SQL),
      range: db.prepare<[number, number], string>('SELECT line FROM entries WHERE seq >= ? AND seq <= ? ORDER BY seq').pluck(),
      allLines: db.prepare<[], LineRow>('SELECT seq, line FROM entries ORDER BY seq'),
    };
  }

  /** Opens the ledger at `file`, creating folder, file, schema and the ledger.created line on first use. */
  static open(file: string, opts: { operator: Person }): Ledger {
    const operator = checkedPerson(opts.operator);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    let db: Database.Database;
    try {
      // Created owner-only before SQLite opens it: SQLite gives -wal and -shm the database file's mode.
      fs.closeSync(fs.openSync(file, 'a', 0o600));
      for (const f of [file, `${file}-wal`, `${file}-shm`]) restrictToOwner(f, 0o600);
      db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    } catch (err) {
      throw openError(err, file);
    }
    try {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal')
        throw new FerryError('IO', `The ledger ${file} cannot use WAL journaling here (got "${String(mode)}"); keep it on a local disk.`, { file });
      // FULL fsyncs the WAL on every commit: an append that returned survives a power cut.
      db.pragma('synchronous = FULL');
      const ledgerId = db
        .transaction(() => {
          db.exec(SCHEMA + DERIVED_SCHEMA);
          const first = db.prepare<[], { line: string }>('SELECT line FROM entries WHERE seq = 1').get();
          if (first) return ledgerIdFromFirstLine(first.line, file);
          const any = db.prepare('SELECT 1 FROM entries LIMIT 1').get();
          if (any) throw new FerryError('INTEGRITY', `The ledger ${file} has no line 1, so its ledger id is lost. Run ledger verify.`, { file });
          const id = randomUUID();
          appendEvent(db.prepare<[], RawRow>(LAST_SQL), db.prepare<[number, string]>(INSERT_SQL), buildEvent('ledger.created', {}, id, operator, osUserName()));
          return id;
        })
        .immediate();
      db.transaction(() => new DerivedIndex(db).catchUp()).immediate();
      return new Ledger(db, file, ledgerId, operator);
    } catch (err) {
      db.close();
      throw openError(err, file);
    }
  }

  /**
   * Appends one event in its own IMMEDIATE transaction, so concurrent writers queue rather than fork
   * the chain. `person` names someone else at this keyboard (an approver, a reviewer) for this event.
   * The fields are typed by event type (shared/ledger-events.ts) and written exactly as given.
   */
  append<T extends EventType>(type: T, fields: EventFields<T>, person?: Person): AppendResult {
    assertEventType(type);
    assertEventFields(fields);
    const operator = person ? checkedPerson(person) : this.operator;
    return this.db
      .transaction(() => {
        const appended = appendEvent(this.statements.last, this.statements.insert, buildEvent(type, fields, this.ledgerId, operator, this.osUser));
        this.index.record(appended.seq, appended.event);
        return appended;
      })
      .immediate();
  }

  /** The last line's seq (the count of an intact ledger; verify() and checkpoint() check that) and hash; polled, so O(1). */
  head(): LedgerHead {
    const last = this.statements.last.get();
    return last ? { count: last.seq, head: lineHash(last.raw) } : { count: 0, head: ZERO_HASH };
  }

  /** Lines in seq order, `from` and `to` inclusive. The connection is busy until iteration ends. */
  *lines(opts: { from?: number; to?: number } = {}): IterableIterator<string> {
    const from = opts.from ?? Number.MIN_SAFE_INTEGER;
    const to = opts.to ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) throw new FerryError('USAGE', 'Ledger line ranges take whole numbers.', { from, to });
    yield* this.statements.range.iterate(from, to);
  }

  /** Parsed events in seq order; a filter is answered by the derived index, a page at a time. */
  events(filter: EventFilter = {}): LedgerEntry[] {
    const found: LedgerEntry[] = [];
    const rows = Object.values(filter).every((v) => v === undefined) ? this.statements.allLines.iterate() : this.matching(filter);
    for (const { seq, line } of rows) {
      const event = eventOfLine(line);
      if (!event) throw new FerryError('INTEGRITY', `Ledger line ${seq} does not hold a JSON event. Run ledger verify.`, { seq });
      found.push({ seq, event });
    }
    return found;
  }

  /** Every line the derived index matches, oldest first, read a page at a time. */
  *matching(q: Omit<IndexQuery, 'order' | 'from' | 'limit'>): Generator<{ seq: number; line: string }> {
    for (let from = 0; ;) {
      const page = this.index.query({ ...q, order: 'oldest', from, limit: MATCH_PAGE });
      yield* page;
      if (page.length < MATCH_PAGE) return;
      from = page[page.length - 1]!.seq;
    }
  }

  /**
   * Walks every line once: the hash chain, and on an intact one the derived tables (verify-walk.ts).
   * `derivedTables: false` checks the lines alone, for work that reads only them (a kit, a review).
   */
  async verify(opts: { derivedTables: boolean } = { derivedTables: true }): Promise<VerifyResult> {
    // A connection of its own: the walk yields between pages, and appends go on meanwhile.
    const reader = openReadConnection(this.file);
    try {
      return await walkLedger(reader, this.file, this.ledgerId, opts);
    } finally {
      reader.close();
    }
  }

  /** A page of lines by what the derived index knows (type, bundle, people, media, outcome, time): O(page), not O(ledger). */
  query(q: IndexQuery): { seq: number; line: string }[] {
    return this.index.query(q);
  }

  bundlesStartingWith(hex: string, limit: number): string[] {
    return this.index.bundlesStartingWith(hex, limit);
  }
  bundleOfJob(job: string): string | undefined {
    return this.index.bundleOfJob(job);
  }

  /** Derives the index tables again from the lines alone; returns how many lines were indexed. */
  reindex(): number {
    return this.db.transaction(() => this.index.rebuild()).immediate();
  }

  /**
   * Signs (ledgerId, count, head, now) with the site key. Only makes the checkpoint; the caller
   * decides whether to record a `checkpoint` event. Refuses a ledger whose count and last seq
   * disagree (a cheap gap check; verify() is the full one).
   */
  checkpoint(key: { privateKey: KeyObject }): Checkpoint {
    const tail = this.statements.tail.get();
    if (!tail) throw new FerryError('INTEGRITY', `The ledger ${this.file} is empty.`, { file: this.file });
    const head = lineHash(tail.raw);
    if (tail.count !== tail.seq || splitLine(tail.raw.toString('utf8'))?.seq !== String(tail.seq)) {
      throw new FerryError('INTEGRITY', `The ledger ${this.file} has ${tail.count} lines but its last is numbered ${tail.seq}. Run ledger verify.`, {
        file: this.file,
      });
    }
    const time = new Date().toISOString();
    const text = formatCheckpoint({ ledgerId: this.ledgerId, count: tail.count, head, time });
    return { text, signature: signDer(key.privateKey, Buffer.from(text, 'utf8')), count: tail.count, head, time };
  }

  close(): void {
    this.db.close();
  }
}

/** Must run inside an IMMEDIATE transaction: reads the last line, links to it, inserts the next. */
function appendEvent(tail: Database.Statement<[], RawRow>, insert: Database.Statement<[number, string]>, event: StoredEvent): AppendResult {
  const last = tail.get();
  const seq = last ? last.seq + 1 : 1;
  const json = canonicalJson(event);
  const line = formatLine(seq, last ? lineHash(last.raw) : ZERO_HASH, json);
  insert.run(seq, line);
  return { seq, line, event: JSON.parse(json) as StoredEvent };
}

/** An event as stored: its fields and the envelope (type, time, ledger id, host, OS user, operator). */
export function buildEvent(type: string, fields: Record<string, unknown>, ledgerId: string, person: Person, osUser: string, time = new Date()): StoredEvent {
  const operator = person.role === undefined ? { name: person.name } : { name: person.name, role: person.role };
  return { ...fields, type, time: time.toISOString(), ledgerId, host: os.hostname(), osUser, operator };
}

function checkedPerson(person: Person): Person {
  if (!person || typeof person.name !== 'string' || person.name.trim() === '') {
    throw new FerryError('USAGE', 'The ledger needs an operator name.', {});
  }
  if (person.role !== undefined && (typeof person.role !== 'string' || person.role.trim() === '')) {
    throw new FerryError('USAGE', 'An operator role, when given, must be a non-empty string.', {});
  }
  return person.role === undefined ? { name: person.name } : { name: person.name, role: person.role };
}

function osUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): fall back to what the environment claims.
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

function openError(err: unknown, file: string): unknown {
  if (err instanceof FerryError) return err;
  const code = (err as { code?: unknown })?.code;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new FerryError('INVALID_INPUT', `${file} is not a Ferry ledger (not an SQLite database).`, { file });
  }
  return err;
}

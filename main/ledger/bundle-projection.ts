import type Database from 'better-sqlite3';
import { eventOfLine } from './chain.js';
import { deriveRow, type DerivedRow } from './derive.js';
import { projectionInput, type ProjectionInput } from './projection-input.js';
import { applyToProjection, type ClearedByBundle, type MediumUpdate, type NewFlag, type ProjectionStore, type StateUpdate } from './projection-rules.js';

/**
 * The bundles' state as a materialised view of the lines: what each bundle went through (exported,
 * imported, first and last event, its media and their dispositions) and the reconciliation flags
 * still open. Each appended event updates it in the append's own transaction, so listing bundles
 * and flags costs O(page), not O(ledger). The rules (projection-rules.ts) are those of ledger.md's
 * reconciliation, applied in ledger order; `ledger verify` replays them in memory from the lines
 * alone and compares (projection-check.ts).
 */
export const PROJECTION_TABLES = [
  'bundle_state',
  'bundle_media',
  'ledger_flag',
  'job_bundle',
  'pending_job',
  'signer_bundle',
  'projection_state',
  'attention_dismissed',
] as const;
export type ProjectionTable = (typeof PROJECTION_TABLES)[number];

/** The tables, with their indexes. */
export const PROJECTION_SCHEMA = `
CREATE TABLE IF NOT EXISTS bundle_state(bundle TEXT PRIMARY KEY, name TEXT, name_seq INTEGER, first_seq INTEGER NOT NULL, first_time TEXT NOT NULL,
  last_seq INTEGER NOT NULL, last_time TEXT NOT NULL, last_type TEXT NOT NULL, exported INTEGER NOT NULL, imported INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bundle_state_last ON bundle_state(last_time, bundle);
CREATE TABLE IF NOT EXISTS bundle_media(bundle TEXT NOT NULL, media TEXT NOT NULL, first_seq INTEGER NOT NULL, noted_seq INTEGER,
  disposed INTEGER NOT NULL, PRIMARY KEY(bundle, media)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bundle_media_open ON bundle_media(disposed, noted_seq);
CREATE TABLE IF NOT EXISTS ledger_flag(seq INTEGER NOT NULL, kind TEXT NOT NULL, bundle TEXT, job TEXT, media TEXT, signer TEXT, subject TEXT, cleared INTEGER);
CREATE INDEX IF NOT EXISTS ledger_flag_open ON ledger_flag(cleared, seq);
CREATE INDEX IF NOT EXISTS ledger_flag_bundle ON ledger_flag(bundle, seq);
CREATE INDEX IF NOT EXISTS ledger_flag_job ON ledger_flag(job) WHERE job IS NOT NULL;
CREATE INDEX IF NOT EXISTS ledger_flag_subject ON ledger_flag(subject) WHERE subject IS NOT NULL;
CREATE TABLE IF NOT EXISTS job_bundle(job TEXT PRIMARY KEY, bundle TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_job(job TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(job, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS signer_bundle(signer TEXT NOT NULL, bundle TEXT NOT NULL, PRIMARY KEY(signer, bundle)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS projection_state(id INTEGER PRIMARY KEY CHECK (id = 1), two_person INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS attention_dismissed(key TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;`;

/** Each table's columns, in the order verify compares them (projection-check.ts). */
export const PROJECTION_COLUMNS: Record<ProjectionTable, readonly string[]> = {
  bundle_state: ['bundle', 'name', 'name_seq', 'first_seq', 'first_time', 'last_seq', 'last_time', 'last_type', 'exported', 'imported'],
  bundle_media: ['bundle', 'media', 'first_seq', 'noted_seq', 'disposed'],
  ledger_flag: ['seq', 'kind', 'bundle', 'job', 'media', 'signer', 'subject', 'cleared'],
  job_bundle: ['job', 'bundle'],
  pending_job: ['job', 'seq'],
  signer_bundle: ['signer', 'bundle'],
  projection_state: ['id', 'two_person'],
  attention_dismissed: ['key', 'seq'],
};

export interface FlagRow {
  seq: number;
  kind: string;
  bundle: string | null;
  media: string | null;
  signer: string | null;
  subject: string | null;
}

export interface BundleStateRow {
  bundle: string;
  name: string | null;
  first_time: string;
  last_time: string;
  last_type: string;
  exported: number;
  imported: number;
}

/** The ledger's own bundle state, updated in the transaction of each append (and of a reindex). */
export class BundleProjection {
  private readonly store: SqliteProjectionStore;

  constructor(db: Database.Database) {
    this.store = new SqliteProjectionStore(db);
  }

  /** Applies one event, in ledger order; `row` is what the index derived of it. */
  record(seq: number, event: Record<string, unknown> | undefined, row: DerivedRow): void {
    if (event) applyToProjection(this.store, projectionInput(seq, event, row));
  }
}

/** The rules' store over the ledger's tables; an event held for its job's bundle is read again from its line. */
class SqliteProjectionStore implements ProjectionStore {
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = {
      jobBundle: db.prepare<[string], string>('SELECT bundle FROM job_bundle WHERE job = ?').pluck(),
      setJobBundle: db.prepare<[string, string]>('INSERT OR IGNORE INTO job_bundle(job, bundle) VALUES (?, ?)'),
      resolveFlags: db.prepare<[string, string]>('UPDATE ledger_flag SET bundle = ? WHERE job = ? AND bundle IS NULL'),
      pend: db.prepare<[string, number]>('INSERT OR IGNORE INTO pending_job(job, seq) VALUES (?, ?)'),
      pending: db.prepare<[string], number>('SELECT seq FROM pending_job WHERE job = ? ORDER BY seq').pluck(),
      unpend: db.prepare<[string]>('DELETE FROM pending_job WHERE job = ?'),
      line: db.prepare<[number], string>('SELECT line FROM entries WHERE seq = ?').pluck(),
      state: db.prepare<StateUpdate>(
        `INSERT INTO bundle_state(bundle, name, name_seq, first_seq, first_time, last_seq, last_time, last_type, exported, imported)
         VALUES (@bundle, @name, @nameSeq, @seq, @time, @seq, @time, @type, @exported, @imported) ON CONFLICT(bundle) DO UPDATE SET
           name = CASE WHEN @name IS NOT NULL AND (name_seq IS NULL OR @nameSeq < name_seq) THEN @name ELSE name END,
           name_seq = CASE WHEN @name IS NOT NULL AND (name_seq IS NULL OR @nameSeq < name_seq) THEN @nameSeq ELSE name_seq END,
           first_time = CASE WHEN @seq < first_seq THEN @time ELSE first_time END,
           first_seq = MIN(first_seq, @seq),
           last_time = CASE WHEN @seq > last_seq THEN @time ELSE last_time END,
           last_type = CASE WHEN @seq > last_seq THEN @type ELSE last_type END,
           last_seq = MAX(last_seq, @seq),
           exported = MAX(exported, @exported), imported = MAX(imported, @imported)`,
      ),
      medium: db.prepare<MediumUpdate>(
        `INSERT INTO bundle_media(bundle, media, first_seq, noted_seq, disposed) VALUES (@bundle, @media, @seq, @noted, @disposed)
         ON CONFLICT(bundle, media) DO UPDATE SET first_seq = MIN(first_seq, @seq),
           noted_seq = CASE WHEN noted_seq IS NULL OR @noted < noted_seq THEN COALESCE(@noted, noted_seq) ELSE noted_seq END,
           disposed = MAX(disposed, @disposed)`,
      ),
      flag: db.prepare<NewFlag>(
        'INSERT INTO ledger_flag(seq, kind, bundle, job, media, signer, subject) VALUES (@seq, @kind, @bundle, @job, @media, @signer, @subject)',
      ),
      clear: db.prepare<[number, string, string]>('UPDATE ledger_flag SET cleared = ? WHERE kind = ? AND bundle = ? AND cleared IS NULL'),
      clearMedium: db.prepare<[number, string, string, string]>(
        'UPDATE ledger_flag SET cleared = ? WHERE kind = ? AND bundle = ? AND media = ? AND cleared IS NULL',
      ),
      clearMissing: db.prepare<[number, string, string]>(
        "UPDATE ledger_flag SET cleared = ? WHERE kind = 'missing-bundle' AND signer = ? AND subject = ? AND cleared IS NULL",
      ),
      missingOpen: db.prepare<[string], number>("SELECT 1 FROM ledger_flag WHERE kind = 'missing-bundle' AND subject = ? AND cleared IS NULL LIMIT 1").pluck(),
      seen: db.prepare<[string, string]>('INSERT OR IGNORE INTO signer_bundle(signer, bundle) VALUES (?, ?)'),
      wasSeen: db.prepare<[string, string], number>('SELECT 1 FROM signer_bundle WHERE signer = ? AND bundle = ?').pluck(),
      dismissed: db.prepare<[string, number]>('INSERT OR IGNORE INTO attention_dismissed(key, seq) VALUES (?, ?)'),
      rule: db.prepare<[], number>('SELECT two_person FROM projection_state WHERE id = 1').pluck(),
      setRule: db.prepare<[number]>(
        'INSERT INTO projection_state(id, two_person) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET two_person = excluded.two_person',
      ),
    };
  }

  bundleOfJob(job: string): string | undefined {
    return this.sql.jobBundle.get(job);
  }
  tieJob(job: string, bundle: string): void {
    this.sql.setJobBundle.run(job, bundle);
    this.sql.resolveFlags.run(bundle, job);
  }
  pend(job: string, input: ProjectionInput): void {
    this.sql.pend.run(job, input.seq);
  }
  takePending(job: string): ProjectionInput[] {
    const inputs = this.sql.pending.all(job).flatMap((seq) => {
      const event = eventOfLine(this.sql.line.get(seq) ?? '');
      return event ? [projectionInput(seq, event, deriveRow(event))] : [];
    });
    this.sql.unpend.run(job);
    return inputs;
  }
  upsertState(update: StateUpdate): void {
    this.sql.state.run(update);
  }
  upsertMedium(update: MediumUpdate): void {
    this.sql.medium.run(update);
  }
  addFlag(flag: NewFlag): void {
    this.sql.flag.run(flag);
  }
  clearFlags(kind: ClearedByBundle, bundle: string, seq: number, media?: string): void {
    if (media === undefined) this.sql.clear.run(seq, kind, bundle);
    else this.sql.clearMedium.run(seq, kind, bundle, media);
  }
  clearMissing(signer: string, subject: string, seq: number): void {
    this.sql.clearMissing.run(seq, signer, subject);
  }
  missingOpen(subject: string): boolean {
    return this.sql.missingOpen.get(subject) !== undefined;
  }
  markSeen(signer: string, bundle: string): void {
    this.sql.seen.run(signer, bundle);
  }
  wasSeen(signer: string, bundle: string): boolean {
    return this.sql.wasSeen.get(signer, bundle) !== undefined;
  }
  dismiss(key: string, seq: number): void {
    this.sql.dismissed.run(key, seq);
  }
  twoPersonRule(): boolean {
    return this.sql.rule.get() === 1;
  }
  setTwoPersonRule(on: boolean): void {
    this.sql.setRule.run(on ? 1 : 0);
  }
}

import type Database from 'better-sqlite3';
import { parseEventJson, splitLine } from './chain.js';
import { mediaOf, type DerivedRow } from './derive.js';

/**
 * The bundles' state as a materialised view of the lines: what each bundle went through (exported,
 * imported, first and last event, its media and their dispositions) and the reconciliation flags
 * still open. Each appended event updates it in the append's own transaction, so listing bundles
 * and flags costs O(page), not O(ledger). The rules are those of ledger.md's reconciliation,
 * applied in ledger order: a later event can clear an earlier flag (a disposition, a good read-back,
 * a verified import after a refusal, the previous bundle arriving).
 *
 * All tables live in `schema`: `main` for the ledger's own, or an attached scratch database that
 * `ledger verify` fills from the lines alone and compares (projection-check.ts).
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

/** How a dismissal names what it took off Home: `job:<id>`, or `<kind>:<bundle>:<medium>`. */
export function attentionKey(item: string, ref: { job?: string | undefined; bundle?: string | undefined; media?: string | undefined }): string {
  return item === 'job' ? `job:${ref.job ?? ''}` : `${item}:${ref.bundle ?? ''}:${ref.media ?? ''}`;
}

/** The tables in `schema`; `forQueries: false` leaves out the indexes only the listings use (a scratch copy to compare). */
export function projectionSchema(schema: string, opts: { forQueries: boolean } = { forQueries: true }): string {
  const queryIndexes = `
CREATE INDEX IF NOT EXISTS ${schema}.bundle_state_last ON bundle_state(last_time, bundle);
CREATE INDEX IF NOT EXISTS ${schema}.bundle_media_open ON bundle_media(disposed, noted_seq);`;
  return `
CREATE TABLE IF NOT EXISTS ${schema}.bundle_state(bundle TEXT PRIMARY KEY, name TEXT, name_seq INTEGER, first_seq INTEGER NOT NULL, first_time TEXT NOT NULL,
  last_seq INTEGER NOT NULL, last_time TEXT NOT NULL, last_type TEXT NOT NULL, exported INTEGER NOT NULL, imported INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${schema}.bundle_media(bundle TEXT NOT NULL, media TEXT NOT NULL, first_seq INTEGER NOT NULL, noted_seq INTEGER,
  disposed INTEGER NOT NULL, PRIMARY KEY(bundle, media)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${schema}.ledger_flag(seq INTEGER NOT NULL, kind TEXT NOT NULL, bundle TEXT, job TEXT, media TEXT, signer TEXT, subject TEXT, cleared INTEGER);
CREATE INDEX IF NOT EXISTS ${schema}.ledger_flag_open ON ledger_flag(cleared, seq);
CREATE INDEX IF NOT EXISTS ${schema}.ledger_flag_bundle ON ledger_flag(bundle, seq);
CREATE INDEX IF NOT EXISTS ${schema}.ledger_flag_job ON ledger_flag(job) WHERE job IS NOT NULL;
CREATE INDEX IF NOT EXISTS ${schema}.ledger_flag_subject ON ledger_flag(subject) WHERE subject IS NOT NULL;
CREATE TABLE IF NOT EXISTS ${schema}.job_bundle(job TEXT PRIMARY KEY, bundle TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${schema}.pending_job(job TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(job, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${schema}.signer_bundle(signer TEXT NOT NULL, bundle TEXT NOT NULL, PRIMARY KEY(signer, bundle)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ${schema}.projection_state(id INTEGER PRIMARY KEY CHECK (id = 1), two_person INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ${schema}.attention_dismissed(key TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
${opts.forQueries ? queryIndexes : ''}`;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const EXPORT_SIDE = new Set(['export.requested', 'export.approved', 'export.started', 'export.completed', 'media.written']);
const IMPORT_SIDE = new Set(['import.verified', 'import.rejected', 'import.started', 'import.completed', 'media.staged', 'media.rejected']);
/** Events that put a medium in someone's hands; a disposition closes it. */
const MEDIA_NOTED = new Set(['media.written', 'media.verified', 'custody.handoff']);
const SEEN_FROM_SIGNER = new Set(['import.verified', 'media.staged', 'import.rejected']);

type Event = Record<string, unknown>;

function signerOf(event: Event): string {
  const signer = event.signer as { fingerprint?: unknown } | string | undefined;
  return typeof signer === 'string' ? signer : typeof signer?.fingerprint === 'string' ? signer.fingerprint : '?';
}

/** The exporter's carried lines' event types, as an import.verified records them. */
function carriedEvents(event: Event): Event[] {
  const lines = (event.exporter as { lines?: unknown } | undefined)?.lines;
  if (!Array.isArray(lines)) return [];
  return lines.flatMap((line) => {
    const parsed = typeof line === 'string' ? parseEventJson(splitLine(line)?.json ?? '') : undefined;
    return parsed ? [parsed] : [];
  });
}

interface StateArgs {
  bundle: string;
  name: string | null;
  nameSeq: number | null;
  seq: number;
  time: string;
  type: string;
  exported: number;
  imported: number;
}

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

export class BundleProjection {
  private readonly sql;
  /** Pending events kept parsed, for a single-transaction replay (a rolled-back append could reuse a seq). */
  private readonly held: Map<number, Event> | undefined;

  constructor(db: Database.Database, schema = 'main', opts: { replay?: boolean } = {}) {
    const s = schema;
    this.held = opts.replay ? new Map() : undefined;
    this.sql = {
      jobBundle: db.prepare<[string], string>(`SELECT bundle FROM ${s}.job_bundle WHERE job = ?`).pluck(),
      setJobBundle: db.prepare<[string, string]>(`INSERT OR IGNORE INTO ${s}.job_bundle(job, bundle) VALUES (?, ?)`),
      pend: db.prepare<[string, number]>(`INSERT OR IGNORE INTO ${s}.pending_job(job, seq) VALUES (?, ?)`),
      pending: db.prepare<[string], number>(`SELECT seq FROM ${s}.pending_job WHERE job = ? ORDER BY seq`).pluck(),
      unpend: db.prepare<[string]>(`DELETE FROM ${s}.pending_job WHERE job = ?`),
      line: db.prepare<[number], string>('SELECT line FROM main.entries WHERE seq = ?').pluck(),
      state: db.prepare<StateArgs>(
        `INSERT INTO ${s}.bundle_state(bundle, name, name_seq, first_seq, first_time, last_seq, last_time, last_type, exported, imported)
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
      medium: db.prepare<{ bundle: string; media: string; seq: number; noted: number | null; disposed: number }>(
        `INSERT INTO ${s}.bundle_media(bundle, media, first_seq, noted_seq, disposed) VALUES (@bundle, @media, @seq, @noted, @disposed)
         ON CONFLICT(bundle, media) DO UPDATE SET first_seq = MIN(first_seq, @seq),
           noted_seq = CASE WHEN noted_seq IS NULL OR @noted < noted_seq THEN COALESCE(@noted, noted_seq) ELSE noted_seq END,
           disposed = MAX(disposed, @disposed)`,
      ),
      flag: db.prepare<[number, string, string | null, string | null, string | null, string | null, string | null]>(
        `INSERT INTO ${s}.ledger_flag(seq, kind, bundle, job, media, signer, subject) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      clearNotReadBack: db.prepare<[number, string]>(
        `UPDATE ${s}.ledger_flag SET cleared = ? WHERE kind = 'media-not-read-back' AND bundle = ? AND cleared IS NULL`,
      ),
      clearRejected: db.prepare<[number, string]>(`UPDATE ${s}.ledger_flag SET cleared = ? WHERE kind = 'import-rejected' AND bundle = ? AND cleared IS NULL`),
      clearMediaFailed: db.prepare<[number, string, string]>(
        `UPDATE ${s}.ledger_flag SET cleared = ? WHERE kind = 'media-failed' AND bundle = ? AND media = ? AND cleared IS NULL`,
      ),
      clearMissing: db.prepare<[number, string, string]>(
        `UPDATE ${s}.ledger_flag SET cleared = ? WHERE kind = 'missing-bundle' AND signer = ? AND subject = ? AND cleared IS NULL`,
      ),
      missingOpen: db
        .prepare<[string], number>(`SELECT 1 FROM ${s}.ledger_flag WHERE kind = 'missing-bundle' AND subject = ? AND cleared IS NULL LIMIT 1`)
        .pluck(),
      resolveFlags: db.prepare<[string, string]>(`UPDATE ${s}.ledger_flag SET bundle = ? WHERE job = ? AND bundle IS NULL`),
      seen: db.prepare<[string, string]>(`INSERT OR IGNORE INTO ${s}.signer_bundle(signer, bundle) VALUES (?, ?)`),
      wasSeen: db.prepare<[string, string], number>(`SELECT 1 FROM ${s}.signer_bundle WHERE signer = ? AND bundle = ?`).pluck(),
      dismissed: db.prepare<[string, number]>(`INSERT OR IGNORE INTO ${s}.attention_dismissed(key, seq) VALUES (?, ?)`),
      rule: db.prepare<[], number>(`SELECT two_person FROM ${s}.projection_state WHERE id = 1`).pluck(),
      setRule: db.prepare<{ on: number }>(`INSERT INTO ${s}.projection_state(id, two_person) VALUES (1, @on) ON CONFLICT(id) DO UPDATE SET two_person = @on`),
    };
  }

  /** Applies one event, in ledger order; `row` is what the index derived of it. */
  record(seq: number, event: Event | undefined, row: DerivedRow): void {
    if (!event) return;
    const job = row.job;
    const named = row.bundle;
    // The first event naming a job and its bundle ties the job's earlier events to that bundle.
    if (job && named && DIGEST.test(named) && this.sql.jobBundle.get(job) === undefined) {
      this.sql.setJobBundle.run(job, named);
      this.sql.resolveFlags.run(named, job);
      for (const earlier of this.sql.pending.all(job)) {
        const parsed = this.held?.get(earlier) ?? parseEventJson(splitLine(this.sql.line.get(earlier) ?? '')?.json ?? '');
        if (parsed) this.recordState(earlier, parsed, named);
        this.held?.delete(earlier);
      }
      this.sql.unpend.run(job);
    }
    const bundle = named ?? (job ? (this.sql.jobBundle.get(job) ?? null) : null);
    if (bundle) this.recordState(seq, event, bundle);
    else if (job) {
      this.sql.pend.run(job, seq);
      this.held?.set(seq, event);
    }
    this.recordFlags(seq, event, row, bundle);
  }

  /** The bundle's own state and its media (needs the bundle; events of a job wait for it). */
  private recordState(seq: number, event: Event, bundle: string): void {
    const type = String(event.type);
    const time = typeof event.time === 'string' ? event.time : '';
    if (DIGEST.test(bundle)) {
      const name = typeof event.name === 'string' ? event.name : null;
      this.sql.state.run({
        bundle,
        name,
        nameSeq: name === null ? null : seq,
        seq,
        time,
        type,
        exported: EXPORT_SIDE.has(type) ? 1 : 0,
        imported: IMPORT_SIDE.has(type) ? 1 : 0,
      });
    }
    for (const media of new Set(mediaOf(event))) {
      this.sql.medium.run({ bundle, media, seq, noted: MEDIA_NOTED.has(type) ? seq : null, disposed: type === 'media.disposition' ? 1 : 0 });
    }
  }

  private recordFlags(seq: number, event: Event, row: DerivedRow, bundle: string | null): void {
    const type = row.type;
    const job = row.job;
    const flag = (kind: string, extra: { media?: string | undefined; signer?: string; subject?: string } = {}) =>
      this.sql.flag.run(seq, kind, bundle, job, extra.media ?? null, extra.signer ?? null, extra.subject ?? null);

    if (type === 'attention.dismissed' && typeof event.item === 'string') {
      const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
      this.sql.dismissed.run(attentionKey(event.item, { job: text(event.job), bundle: text(event.bundle), media: text(event.media) }), seq);
    }
    if (type === 'settings.changed' && typeof event.twoPersonRule === 'boolean') this.sql.setRule.run({ on: event.twoPersonRule ? 1 : 0 });
    if (type === 'export.started' && this.sql.rule.get() === 1 && !event.approvedBy) flag('export-not-approved');
    if (type === 'custody.handoff' && event.sealIntact === false) flag('seal-broken', { media: row.media[0] });
    if (type === 'import.rejected') flag('import-rejected');
    // An export's media must be read back before they leave; any read-back of the bundle answers it.
    if (type === 'export.completed' && bundle) flag('media-not-read-back');
    if (type === 'media.verified' && bundle) {
      this.sql.clearNotReadBack.run(seq, bundle);
      const id = row.media[0];
      if (row.outcome === 'failed') flag('media-failed', { media: id });
      else if (id) this.sql.clearMediaFailed.run(seq, bundle, id);
    }
    if (!bundle || !SEEN_FROM_SIGNER.has(type)) return;
    const signer = signerOf(event);
    this.sql.seen.run(signer, bundle);
    this.sql.clearMissing.run(seq, signer, bundle);
    if (type !== 'import.verified') return;
    this.sql.clearRejected.run(seq, bundle);
    const exporter = (event.exporter ?? {}) as { previousBundle?: unknown; checkpointValid?: unknown };
    const previous = typeof exporter.previousBundle === 'string' ? exporter.previousBundle : null;
    if (previous && this.sql.wasSeen.get(signer, previous) === undefined && this.sql.missingOpen.get(previous) === undefined) {
      flag('missing-bundle', { signer, subject: previous });
    }
    if (exporter.checkpointValid === false) flag('checkpoint-invalid');
    const carried = carriedEvents(event);
    if (!carried.some((c) => c.type === 'export.requested' || c.type === 'export.started')) flag('no-export-record');
    const asked = carried.find((c) => c.type === 'export.requested');
    if (asked?.approvalRequired === true && !carried.some((c) => c.type === 'export.approved')) flag('export-not-approved');
  }
}

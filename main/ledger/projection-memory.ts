import type { ProjectionTable } from './bundle-projection.js';
import type { ProjectionInput } from './projection-input.js';
import type { ClearedByBundle, MediumUpdate, NewFlag, ProjectionStore, StateUpdate } from './projection-rules.js';

interface StateRow {
  name: string | null;
  nameSeq: number | null;
  firstSeq: number;
  firstTime: string;
  lastSeq: number;
  lastTime: string;
  lastType: string;
  exported: number;
  imported: number;
}
/** A flag as the replay holds it (ledger_flag's row). */
type ReplayedFlag = NewFlag & { cleared: number | null };

/** A map keyed by two strings, without building a key per lookup. */
class PairMap<T> {
  private readonly outer = new Map<string, Map<string, T>>();

  get(a: string, b: string): T | undefined {
    return this.outer.get(a)?.get(b);
  }
  set(a: string, b: string, value: T): void {
    const inner = this.outer.get(a);
    if (inner) inner.set(b, value);
    else this.outer.set(a, new Map([[b, value]]));
  }
  delete(a: string, b: string): void {
    this.outer.get(a)?.delete(b);
  }
  /** Adds `value` to the list under (a, b). */
  append<V>(this: PairMap<V[]>, a: string, b: string, value: V): void {
    const list = this.get(a, b);
    if (list) list.push(value);
    else this.set(a, b, [value]);
  }
  *entries(): Generator<[string, string, T]> {
    for (const [a, inner] of this.outer) for (const [b, value] of inner) yield [a, b, value];
  }
}

/**
 * The rules' store in memory, for `ledger verify`'s replay: each operation does what the ledger's
 * SQL does to its tables (bundle-projection.ts), and `rows` gives every table's rows in
 * PROJECTION_COLUMNS order to compare with them.
 */
export class MemoryProjectionStore implements ProjectionStore {
  private readonly states = new Map<string, StateRow>();
  private readonly media = new PairMap<{ firstSeq: number; noted: number | null; disposed: number }>();
  private readonly flags: ReplayedFlag[] = [];
  /** Open flags by kind and bundle, and by signer and subject for missing bundles. */
  private readonly openByBundle = new PairMap<ReplayedFlag[]>();
  private readonly openMissing = new PairMap<ReplayedFlag[]>();
  private readonly openMissingSubjects = new Map<string, number>();
  /** Flags recorded before their job's bundle was known. */
  private readonly unresolved = new Map<string, ReplayedFlag[]>();
  private readonly jobBundles = new Map<string, string>();
  private readonly pending = new Map<string, ProjectionInput[]>();
  private readonly seen = new PairMap<true>();
  private readonly dismissals = new Map<string, number>();
  private rule: boolean | undefined;

  bundleOfJob(job: string): string | undefined {
    return this.jobBundles.get(job);
  }
  tieJob(job: string, bundle: string): void {
    if (!this.jobBundles.has(job)) this.jobBundles.set(job, bundle);
    for (const flag of this.unresolved.get(job) ?? []) {
      flag.bundle = bundle;
      if (flag.cleared === null) this.indexOpen(flag);
    }
    this.unresolved.delete(job);
  }
  pend(job: string, input: ProjectionInput): void {
    append(this.pending, job, input);
  }
  takePending(job: string): ProjectionInput[] {
    const held = this.pending.get(job) ?? [];
    this.pending.delete(job);
    return held;
  }
  upsertState(u: StateUpdate): void {
    const row = this.states.get(u.bundle);
    if (!row) {
      this.states.set(u.bundle, {
        name: u.name,
        nameSeq: u.nameSeq,
        firstSeq: u.seq,
        firstTime: u.time,
        lastSeq: u.seq,
        lastTime: u.time,
        lastType: u.type,
        exported: u.exported,
        imported: u.imported,
      });
      return;
    }
    if (u.name !== null && (row.nameSeq === null || (u.nameSeq !== null && u.nameSeq < row.nameSeq))) {
      row.name = u.name;
      row.nameSeq = u.nameSeq;
    }
    if (u.seq < row.firstSeq) [row.firstSeq, row.firstTime] = [u.seq, u.time];
    if (u.seq > row.lastSeq) [row.lastSeq, row.lastTime, row.lastType] = [u.seq, u.time, u.type];
    row.exported = Math.max(row.exported, u.exported);
    row.imported = Math.max(row.imported, u.imported);
  }
  upsertMedium(u: MediumUpdate): void {
    const row = this.media.get(u.bundle, u.media);
    if (!row) {
      this.media.set(u.bundle, u.media, { firstSeq: u.seq, noted: u.noted, disposed: u.disposed });
      return;
    }
    row.firstSeq = Math.min(row.firstSeq, u.seq);
    if (row.noted === null) row.noted = u.noted;
    else if (u.noted !== null && u.noted < row.noted) row.noted = u.noted;
    row.disposed = Math.max(row.disposed, u.disposed);
  }
  addFlag(flag: NewFlag): void {
    const row = { ...flag, cleared: null };
    this.flags.push(row);
    if (row.bundle !== null) this.indexOpen(row);
    else if (row.job !== null) append(this.unresolved, row.job, row);
    if (row.kind === 'missing-bundle' && row.signer !== null && row.subject !== null) {
      this.openMissing.append(row.signer, row.subject, row);
      this.openMissingSubjects.set(row.subject, (this.openMissingSubjects.get(row.subject) ?? 0) + 1);
    }
  }
  clearFlags(kind: ClearedByBundle, bundle: string, seq: number, media?: string): void {
    const open = this.openByBundle.get(kind, bundle);
    if (!open) return;
    const still = open.filter((flag) => {
      if (flag.cleared !== null) return false;
      if (media !== undefined && flag.media !== media) return true;
      flag.cleared = seq;
      return false;
    });
    if (still.length > 0) this.openByBundle.set(kind, bundle, still);
    else this.openByBundle.delete(kind, bundle);
  }
  clearMissing(signer: string, subject: string, seq: number): void {
    for (const flag of this.openMissing.get(signer, subject) ?? []) {
      if (flag.cleared !== null) continue;
      flag.cleared = seq;
      const left = this.openMissingSubjects.get(subject)! - 1;
      if (left > 0) this.openMissingSubjects.set(subject, left);
      else this.openMissingSubjects.delete(subject);
    }
    this.openMissing.delete(signer, subject);
  }
  missingOpen(subject: string): boolean {
    return this.openMissingSubjects.has(subject);
  }
  markSeen(signer: string, bundle: string): void {
    this.seen.set(signer, bundle, true);
  }
  wasSeen(signer: string, bundle: string): boolean {
    return this.seen.get(signer, bundle) !== undefined;
  }
  dismiss(key: string, seq: number): void {
    if (!this.dismissals.has(key)) this.dismissals.set(key, seq);
  }
  twoPersonRule(): boolean {
    return this.rule === true;
  }
  setTwoPersonRule(on: boolean): void {
    this.rule = on;
  }

  /** Every table's rows, each in PROJECTION_COLUMNS order. */
  rows(): Record<ProjectionTable, unknown[][]> {
    return {
      bundle_state: [...this.states].map(([bundle, s]) => [
        bundle,
        s.name,
        s.nameSeq,
        s.firstSeq,
        s.firstTime,
        s.lastSeq,
        s.lastTime,
        s.lastType,
        s.exported,
        s.imported,
      ]),
      bundle_media: [...this.media.entries()].map(([bundle, media, m]) => [bundle, media, m.firstSeq, m.noted, m.disposed]),
      ledger_flag: this.flags.map((f) => [f.seq, f.kind, f.bundle, f.job, f.media, f.signer, f.subject, f.cleared]),
      job_bundle: [...this.jobBundles],
      pending_job: [...this.pending].flatMap(([job, held]) => held.map((input) => [job, input.seq])),
      signer_bundle: [...this.seen.entries()].map(([signer, bundle]) => [signer, bundle]),
      projection_state: this.rule === undefined ? [] : [[1, this.rule ? 1 : 0]],
      attention_dismissed: [...this.dismissals],
    };
  }

  private indexOpen(flag: ReplayedFlag): void {
    this.openByBundle.append(flag.kind, flag.bundle!, flag);
  }
}

/** Adds `value` to the list under `key`. */
function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

import type { ProjectionInput } from './projection-input.js';

/** bundle_state's upsert: the earliest name, first and last event, and whether either side was seen. */
export interface StateUpdate {
  bundle: string;
  name: string | null;
  nameSeq: number | null;
  seq: number;
  time: string;
  type: string;
  exported: number;
  imported: number;
}

/** bundle_media's upsert: first seen, first put in someone's hands, disposed of. */
export interface MediumUpdate {
  bundle: string;
  media: string;
  seq: number;
  noted: number | null;
  disposed: number;
}

export interface NewFlag {
  seq: number;
  kind: string;
  bundle: string | null;
  job: string | null;
  media: string | null;
  signer: string | null;
  subject: string | null;
}

/** Flags a later event of the same bundle clears: a read-back, a verified import, a good medium. */
export type ClearedByBundle = 'media-not-read-back' | 'import-rejected' | 'media-failed';

/**
 * Where the bundle state lives: the ledger's own tables (appends, reindex) or memory (verify's
 * replay, compared with those tables). One set of rules writes into either.
 */
export interface ProjectionStore {
  bundleOfJob(job: string): string | undefined;
  /** Ties `job` to `bundle`: its flags recorded without a bundle get it. */
  tieJob(job: string, bundle: string): void;
  /** Holds an event of a job whose bundle is not known yet. */
  pend(job: string, input: ProjectionInput): void;
  /** The held events of `job`, in seq order, no longer held. */
  takePending(job: string): ProjectionInput[];
  upsertState(update: StateUpdate): void;
  upsertMedium(update: MediumUpdate): void;
  addFlag(flag: NewFlag): void;
  /** Clears the open flags of `kind` of `bundle` (of one medium where given) at `seq`. */
  clearFlags(kind: ClearedByBundle, bundle: string, seq: number, media?: string): void;
  clearMissing(signer: string, subject: string, seq: number): void;
  missingOpen(subject: string): boolean;
  markSeen(signer: string, bundle: string): void;
  wasSeen(signer: string, bundle: string): boolean;
  dismiss(key: string, seq: number): void;
  twoPersonRule(): boolean;
  setTwoPersonRule(on: boolean): void;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const EXPORT_SIDE = new Set(['export.requested', 'export.approved', 'export.started', 'export.completed', 'media.written']);
const IMPORT_SIDE = new Set(['import.verified', 'import.rejected', 'import.started', 'import.completed', 'media.staged', 'media.rejected']);
/** Events that put a medium in someone's hands; a disposition closes it. */
const MEDIA_NOTED = new Set(['media.written', 'media.verified', 'custody.handoff']);

/**
 * Applies one event, in ledger order: ledger.md's reconciliation, where a later event can clear an
 * earlier flag (a disposition, a good read-back, a verified import after a refusal, the previous
 * bundle arriving). The first event naming a job and its bundle ties the job's earlier events to it.
 */
export function applyToProjection(store: ProjectionStore, input: ProjectionInput): void {
  const { job, bundle: named } = input;
  if (job && named && DIGEST.test(named) && store.bundleOfJob(job) === undefined) {
    store.tieJob(job, named);
    for (const earlier of store.takePending(job)) recordState(store, earlier, named);
  }
  const bundle = named ?? (job ? (store.bundleOfJob(job) ?? null) : null);
  if (bundle) recordState(store, input, bundle);
  else if (job) store.pend(job, input);
  recordFlags(store, input, bundle);
}

/** The bundle's own state and its media (needs the bundle; events of a job wait for it). */
function recordState(store: ProjectionStore, input: ProjectionInput, bundle: string): void {
  const { seq } = input;
  const type = input.typeAsWritten ?? input.type;
  const name = input.name ?? null;
  if (DIGEST.test(bundle)) {
    store.upsertState({
      bundle,
      name,
      nameSeq: name === null ? null : seq,
      seq,
      time: input.time,
      type,
      exported: EXPORT_SIDE.has(type) ? 1 : 0,
      imported: IMPORT_SIDE.has(type) ? 1 : 0,
    });
  }
  for (const media of input.media ?? []) {
    store.upsertMedium({ bundle, media, seq, noted: MEDIA_NOTED.has(type) ? seq : null, disposed: type === 'media.disposition' ? 1 : 0 });
  }
}

function recordFlags(store: ProjectionStore, input: ProjectionInput, bundle: string | null): void {
  const { seq, type } = input;
  const job = input.job ?? null;
  const facts = input.facts ?? {};
  const flag = (kind: string, extra: { media?: string | undefined; signer?: string; subject?: string } = {}) =>
    store.addFlag({ seq, kind, bundle, job, media: extra.media ?? null, signer: extra.signer ?? null, subject: extra.subject ?? null });

  if (type === 'attention.dismissed' && facts.dismissed !== undefined) store.dismiss(facts.dismissed, seq);
  if (type === 'settings.changed' && facts.twoPersonRule !== undefined) store.setTwoPersonRule(facts.twoPersonRule);
  if (type === 'export.started' && store.twoPersonRule() && !facts.approved) flag('export-not-approved');
  if (type === 'custody.handoff' && facts.sealBroken) flag('seal-broken', { media: input.media?.[0] });
  if (type === 'import.rejected') flag('import-rejected');
  // An export's media must be read back before they leave; any read-back of the bundle answers it.
  if (type === 'export.completed' && bundle) flag('media-not-read-back');
  if (type === 'media.verified' && bundle) {
    store.clearFlags('media-not-read-back', bundle, seq);
    const id = input.media?.[0];
    if (facts.failed) flag('media-failed', { media: id });
    else if (id) store.clearFlags('media-failed', bundle, seq, id);
  }
  const signer = facts.signer;
  if (!bundle || signer === undefined) return;
  store.markSeen(signer, bundle);
  store.clearMissing(signer, bundle, seq);
  if (type !== 'import.verified') return;
  store.clearFlags('import-rejected', bundle, seq);
  const previous = facts.previousBundle;
  if (previous && !store.wasSeen(signer, previous) && !store.missingOpen(previous)) flag('missing-bundle', { signer, subject: previous });
  if (facts.checkpointInvalid) flag('checkpoint-invalid');
  if (!facts.carriedExport) flag('no-export-record');
  if (facts.carriedUnapproved) flag('export-not-approved');
}

import { eventOfLine } from './chain.js';
import type { DerivedRow } from './derive.js';

/**
 * What the bundle state's rules (projection-rules.ts) read of one event, the same whichever store
 * they write into. Fields are left out where they say nothing (no bundle, no media, no flag facts):
 * verify copies these between threads by the hundred thousand.
 */
export interface ProjectionInput {
  seq: number;
  /** The index's type (derive.ts), which the rules test. */
  type: string;
  /** String(event.type), which bundle_state.last_type records, where it is not `type` (a type that is not a string). */
  typeAsWritten?: string;
  time: string;
  bundle?: string;
  job?: string;
  /** The event's own `name` (an empty name counts). */
  name?: string;
  media?: string[];
  /** What the flag rules read of the few events they look into. */
  facts?: FlagFacts;
}

export interface FlagFacts {
  failed?: boolean;
  sealBroken?: boolean;
  approved?: boolean;
  twoPersonRule?: boolean;
  /** The attention key an attention.dismissed names. */
  dismissed?: string;
  /** Who signed what an import or a staging saw. */
  signer?: string;
  previousBundle?: string;
  checkpointInvalid?: boolean;
  /** What the exporter's carried lines show (import.verified only). */
  carriedExport?: boolean;
  carriedUnapproved?: boolean;
}

type Event = Record<string, unknown>;

/** How a dismissal names what it took off Home: `job:<id>`, or `<kind>:<bundle>:<medium>`. */
export function attentionKey(item: string, ref: { job?: string | undefined; bundle?: string | undefined; media?: string | undefined }): string {
  return item === 'job' ? `job:${ref.job ?? ''}` : `${item}:${ref.bundle ?? ''}:${ref.media ?? ''}`;
}

export function projectionInput(seq: number, event: Event, row: DerivedRow): ProjectionInput {
  const input: ProjectionInput = { seq, type: row.type, time: row.time };
  const typeAsWritten = String(event.type);
  if (typeAsWritten !== row.type) input.typeAsWritten = typeAsWritten;
  if (row.bundle !== null) input.bundle = row.bundle;
  if (row.job !== null) input.job = row.job;
  if (typeof event.name === 'string') input.name = event.name;
  if (row.media.length > 0) input.media = row.media;
  const facts = flagFacts(event, row);
  if (facts) input.facts = facts;
  return input;
}

/** The facts the flag rules read, for the event types they read them of. */
function flagFacts(event: Event, row: DerivedRow): FlagFacts | undefined {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (row.type) {
    case 'media.verified':
      return { failed: row.outcome === 'failed' };
    case 'custody.handoff':
      return { sealBroken: event.sealIntact === false };
    case 'export.started':
      return { approved: Boolean(event.approvedBy) };
    case 'settings.changed':
      return typeof event.twoPersonRule === 'boolean' ? { twoPersonRule: event.twoPersonRule } : undefined;
    case 'attention.dismissed':
      return typeof event.item === 'string'
        ? { dismissed: attentionKey(event.item, { job: text(event.job), bundle: text(event.bundle), media: text(event.media) }) }
        : undefined;
    case 'media.staged':
    case 'import.rejected':
      return { signer: signerOf(event) };
    case 'import.verified':
      return importFacts(event);
    default:
      return undefined;
  }
}

function importFacts(event: Event): FlagFacts {
  const exporter = (event.exporter ?? {}) as Event;
  const carried = carriedEvents(exporter);
  const asked = carried.find((c) => c.type === 'export.requested');
  return {
    signer: signerOf(event),
    previousBundle: typeof exporter.previousBundle === 'string' ? exporter.previousBundle : undefined,
    checkpointInvalid: exporter.checkpointValid === false,
    carriedExport: carried.some((c) => c.type === 'export.requested' || c.type === 'export.started'),
    carriedUnapproved: asked?.approvalRequired === true && !carried.some((c) => c.type === 'export.approved'),
  };
}

function signerOf(event: Event): string {
  const signer = event.signer as { fingerprint?: unknown } | string | undefined;
  return typeof signer === 'string' ? signer : typeof signer?.fingerprint === 'string' ? signer.fingerprint : '?';
}

/** The exporter's carried lines' events, as an import.verified records them. */
function carriedEvents(exporter: Event): Event[] {
  const lines = exporter.lines;
  if (!Array.isArray(lines)) return [];
  return lines.flatMap((line) => {
    const parsed = typeof line === 'string' ? eventOfLine(line) : undefined;
    return parsed ? [parsed] : [];
  });
}

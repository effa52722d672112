import type { Outcome } from '../../shared/rpc.js';
import type { EventType } from '../../shared/ledger-events.js';

/**
 * What the derived index holds of one event (ledger.md: derived from the lines, never the other
 * way round). Read straight from the stored JSON, permissively: a line an older or another tool
 * wrote gets what can be read of it.
 */
export interface DerivedRow {
  type: string;
  time: string;
  bundle: string | null;
  job: string | null;
  outcome: Outcome | null;
  /** Every person the event names: its operator, a requester, an approver, from and to, a verifier. */
  people: string[];
  media: string[];
}

type Event = Record<string, unknown>;

/** The fields that hold a person ({name, role?}) in some event type. */
const PERSON_FIELDS = ['operator', 'requester', 'approvedBy', 'from', 'to', 'verifiedBy', 'person', 'sponsor'] as const;

const OK_TYPES = new Set<string>([
  'export.approved',
  'export.completed',
  'import.verified',
  'import.completed',
  'media.staged',
  'review.signed',
] satisfies EventType[]);
const FAILED_TYPES = new Set<string>([
  'export.rejected',
  'export.failed',
  'export.cancelled',
  'import.rejected',
  'import.failed',
  'import.cancelled',
  'media.rejected',
  'ledger.export.failed',
] satisfies EventType[]);
const PENDING_TYPES = new Set<string>(['import.paused', 'export.paused'] satisfies EventType[]);

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Media ids an event names: medium.id (written, verified, disposition) or media[] (handoff). */
export function mediaOf(event: Event): string[] {
  if (event.type === 'custody.handoff') return Array.isArray(event.media) ? event.media.filter((m): m is string => typeof m === 'string') : [];
  if (event.type === 'media.written' || event.type === 'media.verified' || event.type === 'media.disposition') {
    const id = text((event.medium as Event | undefined)?.id);
    return id ? [id] : [];
  }
  return [];
}

/** ok, failed or pending, where the event says one. */
export function outcomeOf(event: Event): Outcome | undefined {
  const type = String(event.type);
  if (type === 'media.verified') return event.result === 'ok' ? 'ok' : 'failed';
  if (type === 'custody.handoff') return event.sealIntact === true ? 'ok' : 'failed';
  if (type === 'media.staged') return event.complete === true ? 'ok' : 'pending';
  if (type === 'export.requested') return event.approvalRequired === true ? 'pending' : undefined;
  if (OK_TYPES.has(type)) return 'ok';
  if (FAILED_TYPES.has(type)) return 'failed';
  if (PENDING_TYPES.has(type)) return 'pending';
  return undefined;
}

export function peopleOf(event: Event): string[] {
  const names: string[] = [];
  for (const field of PERSON_FIELDS) {
    const name = text((event[field] as Event | undefined)?.name);
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

export function deriveRow(event: Event | undefined): DerivedRow {
  if (!event) return { type: '', time: '', bundle: null, job: null, outcome: null, people: [], media: [] };
  const media = mediaOf(event);
  return {
    type: text(event.type) ?? '',
    time: text(event.time) ?? '',
    bundle: text(event.bundle),
    job: text(event.job),
    outcome: outcomeOf(event) ?? null,
    people: peopleOf(event),
    media: media.length > 1 ? [...new Set(media)] : media,
  };
}

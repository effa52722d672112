import type { CustodyStage, Outcome } from '../../shared/rpc.js';
import { formatBytes } from '../bundle/volume-size.js';
import type { StoredEvent } from '../ledger/ledger.js';

/** How one ledger event reads to a person: a one-line summary, its outcome, the media it names, its stage in a transfer. */
export interface EventView {
  summary: string;
  outcome?: Outcome;
  media: string[];
  stage: CustodyStage | null;
}

type Person = { name?: unknown; role?: unknown };

const STAGES: Record<string, CustodyStage> = {
  'export.requested': 'request',
  'export.approved': 'approval',
  'export.rejected': 'approval',
  'export.withdrawn': 'approval',
  'export.started': 'export',
  'export.completed': 'export',
  'export.failed': 'export',
  'export.cancelled': 'export',
  'media.written': 'media',
  'media.verified': 'media',
  'media.staged': 'media',
  'media.rejected': 'media',
  'custody.handoff': 'custody',
  'import.verified': 'verification',
  'import.rejected': 'verification',
  'import.started': 'import',
  'import.completed': 'import',
  'import.failed': 'import',
  'import.paused': 'import',
  'import.cancelled': 'import',
  'media.disposition': 'disposition',
  checkpoint: 'checkpoint',
};

const OK_TYPES = new Set(['export.approved', 'export.completed', 'import.verified', 'import.completed', 'media.staged', 'review.signed']);
const FAILED_TYPES = new Set([
  'export.rejected',
  'export.failed',
  'export.cancelled',
  'import.rejected',
  'import.failed',
  'import.cancelled',
  'media.rejected',
  'ledger.export.failed',
]);
const PENDING_TYPES = new Set(['import.paused']);

export function personText(p: unknown): string {
  const person = (p ?? {}) as Person;
  const name = typeof person.name === 'string' ? person.name : '?';
  return typeof person.role === 'string' ? `${name} (${person.role})` : name;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function count(v: unknown, noun: string): string {
  const n = Array.isArray(v) ? v.length : 0;
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Media ids an event names: medium.id (written, verified, disposition) or media[] (handoff). */
export function mediaOf(event: StoredEvent): string[] {
  const ids: string[] = [];
  const medium = event.medium as { id?: unknown } | undefined;
  if (medium && typeof medium.id === 'string') ids.push(medium.id);
  if (Array.isArray(event.media)) for (const m of event.media) if (typeof m === 'string') ids.push(m);
  return ids;
}

function outcomeOf(event: StoredEvent): Outcome | undefined {
  const type = str(event.type);
  if (type === 'media.verified') return event.result === 'ok' ? 'ok' : 'failed';
  if (type === 'custody.handoff') return event.sealIntact === false ? 'failed' : 'ok';
  if (type === 'media.staged') return event.complete === true ? 'ok' : 'pending';
  if (type === 'export.requested') return event.approvalRequired === true ? 'pending' : undefined;
  if (OK_TYPES.has(type)) return 'ok';
  if (FAILED_TYPES.has(type)) return 'failed';
  if (PENDING_TYPES.has(type)) return 'pending';
  return undefined;
}

function summaryOf(event: StoredEvent): string {
  const e = event as Record<string, unknown>;
  const medium = (e.medium ?? {}) as Record<string, unknown>;
  const mediumText = `${str(medium.label) || str(medium.id)}${medium.id && medium.label ? ` (${str(medium.id)})` : ''}`;
  const error = (e.error ?? e.reason) as { message?: unknown } | string | undefined;
  const why = typeof error === 'string' ? error : str(error?.message);
  switch (str(e.type)) {
    case 'ledger.created':
      return 'Ledger started';
    case 'key.created':
      return `Site key created, ${str(e.fingerprint)}`;
    case 'key.trusted':
      return `Trusted key ${str(e.fingerprint)}`;
    case 'settings.changed':
      return e.twoPersonRule === true ? 'Two-person rule turned on' : e.twoPersonRule === false ? 'Two-person rule turned off' : 'Settings changed';
    case 'export.requested':
      return `${str(e.name)}: ${count(e.artifacts, 'artifact')} requested for ${str(e.out)}${e.approvalRequired ? ', waiting for approval' : ''}`;
    case 'export.approved':
      return `Approved; requested by ${personText(e.requester)}`;
    case 'export.rejected':
      return `Rejected${why ? `: ${why}` : ''}; requested by ${personText(e.requester)}`;
    case 'export.withdrawn':
      return `Request withdrawn${why ? `: ${why}` : ''}`;
    case 'export.started':
      return `Writing ${typeof e.tarSize === 'number' ? formatBytes(e.tarSize) : '?'}${e.approvedBy ? `, approved by ${personText(e.approvedBy)}` : ''}`;
    case 'export.completed':
      return `${str(e.name)}: ${count(e.artifacts, 'artifact')}, ${count(e.volumes, 'volume')} in ${str(e.dir)}`;
    case 'export.failed':
    case 'export.cancelled':
    case 'import.failed':
    case 'import.cancelled':
    case 'import.paused':
      return why || str(e.type);
    case 'media.written':
      return `${count(e.volumes, 'volume')} on ${mediumText}${medium.seal ? `, seal ${str(medium.seal)}` : ''}`;
    case 'media.verified':
      return `${mediumText} read back: ${e.result === 'ok' ? `${count(e.volumes, 'volume')} match` : 'MISMATCH'}`;
    case 'media.staged':
      return `Disc ${str(e.from)}: ${count(e.volumes, 'volume')} staged${e.complete ? ', bundle complete' : `, ${count(e.missing, 'volume')} still missing`}`;
    case 'media.rejected':
      return `Disc ${str(e.from)} refused${why ? `: ${why}` : ''}`;
    case 'custody.handoff':
      return `${personText(e.from)} → ${personText(e.to)} at ${str(e.place)}, seal ${e.sealIntact ? 'intact' : 'NOT intact'}`;
    case 'media.disposition':
      return `${str(medium.id)} ${str(e.action)} (${str(e.method)})${e.verifiedBy ? `, verified by ${personText(e.verifiedBy)}` : ''}`;
    case 'import.verified': {
      const signer = (e.signer ?? {}) as Record<string, unknown>;
      return `${str(e.name)}: signature by ${str(signer.fingerprint)} and ${count(e.volumes, 'volume')} verified`;
    }
    case 'import.rejected':
      return `Refused${why ? `: ${why}` : Array.isArray(e.problems) && e.problems.length > 0 ? `: ${str((e.problems[0] as { message?: unknown }).message)}` : ''}`;
    case 'import.started':
      return `Into ${Object.values((e.targets ?? {}) as Record<string, unknown>)
        .map(str)
        .join(', ')}`;
    case 'import.completed': {
      const artifacts = Array.isArray(e.artifacts) ? (e.artifacts as { status?: unknown }[]) : [];
      return `${artifacts.filter((a) => a.status === 'imported').length} of ${artifacts.length} artifacts imported`;
    }
    case 'checkpoint':
      return `Checkpoint: ${str(e.count)} lines, head ${str(e.head).slice(0, 16)}…`;
    case 'ledger.exported':
      return `Auditor's kit written to ${str(e.out)} (${str(e.count)} lines)`;
    case 'review.signed': {
      const range = (e.range ?? {}) as Record<string, unknown>;
      return `Lines ${str(range.from)}–${str(range.to)} reviewed: ${e.result === 'no-findings' ? 'no findings' : 'findings'}${e.notes ? `; ${str(e.notes)}` : ''}`;
    }
    default:
      return str(e.type);
  }
}

export function describeEvent(event: StoredEvent): EventView {
  const outcome = outcomeOf(event);
  return { summary: summaryOf(event), ...(outcome ? { outcome } : {}), media: mediaOf(event), stage: STAGES[str(event.type)] ?? null };
}

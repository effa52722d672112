import type { CustodyStage, Outcome } from '../../shared/rpc.js';
import { formatBytes } from '../../shared/sizes.js';
import { mediaOf, outcomeOf } from '../ledger/derive.js';
import type { StoredEvent } from '../ledger/ledger.js';
import { parseLedgerEvent, type EventPerson, type EventType, type LedgerEvent } from '../../shared/ledger-events.js';

/** How one ledger event reads to a person: a one-line summary, its outcome, the media it names, its stage in a transfer. */
export interface EventView {
  summary: string;
  outcome?: Outcome;
  media: string[];
  stage: CustodyStage | null;
}

const STAGES: Partial<Record<EventType, CustodyStage>> = {
  'export.requested': 'request',
  'export.approved': 'approval',
  'export.rejected': 'approval',
  'export.withdrawn': 'approval',
  'export.started': 'export',
  'export.completed': 'export',
  'export.failed': 'export',
  'export.cancelled': 'export',
  'export.paused': 'export',
  'media.written': 'media',
  'media.verified': 'media',
  'media.staged': 'media',
  'media.rejected': 'media',
  'custody.handoff': 'custody',
  'import.verified': 'verification',
  'import.rejected': 'verification',
  'import.override': 'verification',
  'import.started': 'import',
  'import.completed': 'import',
  'import.failed': 'import',
  'import.paused': 'import',
  'import.cancelled': 'import',
  'media.disposition': 'disposition',
  checkpoint: 'checkpoint',
};

export function personText(person: EventPerson): string {
  return person.role === undefined ? person.name : `${person.name} (${person.role})`;
}

function count(items: readonly unknown[], noun: string): string {
  return `${items.length} ${noun}${items.length === 1 ? '' : 's'}`;
}

function mediumText(medium: { id: string; label?: string | undefined }): string {
  return medium.label ? `${medium.label} (${medium.id})` : medium.id;
}

/** ", 2 with Ferry's transfer attestation": what a push attached. */
const attestedText = (artifacts: readonly { attestation?: unknown }[]) => {
  const n = artifacts.filter((a) => a.attestation).length;
  return n === 0 ? '' : `, ${n} with Ferry's signed transfer attestation`;
};

/** "; 3 of them signatures, attestations or SBOMs of the images": what rode with its subject. */
const carriedText = (artifacts: readonly { attachment?: unknown }[]) => {
  const n = artifacts.filter((a) => a.attachment).length;
  return n === 0 ? '' : `; ${n} of them signatures, attestations, SBOMs or referrers carried with their images and charts`;
};

const reasonText = (why: string | undefined) => (why ? `: ${why}` : '');

/** A decision signed with a personal key says so, with the key's fingerprint. */
const signedText = (e: { signer?: string | undefined; signature?: string | undefined }) =>
  e.signer && e.signature ? ` (signed, key ${e.signer.slice(0, 16)}…)` : '';

function summaryOf(e: LedgerEvent): string {
  switch (e.type) {
    case 'ledger.created':
      return 'Ledger started';
    case 'key.created':
      return `Site key created, ${e.fingerprint}`;
    case 'key.trusted':
      return `Trusted key ${e.fingerprint}${e.name ? ` (${e.name})` : ''}${signedText(e)}`;
    case 'key.revoked':
      return `Revoked key ${e.fingerprint}${e.name ? ` (${e.name})` : ''}: ${e.reason}${signedText(e)}`;
    case 'settings.changed':
      if (e.dispositionDueDays !== undefined)
        return `A medium's disposition is due ${e.dispositionDueDays} day${e.dispositionDueDays === 1 ? '' : 's'} after it is noted`;
      return `${e.twoPersonRule ? 'Two-person rule turned on' : 'Two-person rule turned off'}${e.requester ? `, as ${personText(e.requester)} asked` : ''}${signedText(e)}`;
    case 'rule.change.requested':
      return `Asked for the two-person rule to be turned ${e.twoPersonRule ? 'on' : 'off'}, waiting for a second person${signedText(e)}`;
    case 'rule.change.rejected':
      return `Rule change asked by ${personText(e.requester)} rejected: ${e.reason}${signedText(e)}`;
    case 'person.enrolled':
      return `${personText(e.person)} enrolled with personal key ${e.fingerprint}${e.sponsor ? `, sponsored by ${personText(e.sponsor)}` : ''}${signedText(e)}`;
    case 'person.removed':
      return `${personText(e.person)} removed: ${e.reason}${signedText(e)}`;
    case 'export.requested':
      return `${e.name}: ${count(e.artifacts, 'artifact')} requested for ${e.out}${e.approvalRequired ? ', waiting for approval' : ''}`;
    case 'export.approved':
      return `Approved; requested by ${personText(e.requester)}${signedText(e)}`;
    case 'export.rejected':
      return `Rejected${reasonText(e.reason)}; requested by ${personText(e.requester)}${signedText(e)}`;
    case 'export.withdrawn':
      return `Request withdrawn${reasonText(e.reason)}`;
    case 'export.started':
      return `Writing ${formatBytes(e.tarSize)}${e.approvedBy ? `, approved by ${personText(e.approvedBy)}` : ''}`;
    case 'export.completed':
      return `${e.name}: ${count(e.artifacts, 'artifact')}, ${count(e.volumes, 'volume')} in ${e.dir}${carriedText(e.artifacts)}`;
    case 'export.failed':
      return `${e.error.message || e.type}${e.volumesKept ? ` (${e.volumesKept === 1 ? '1 volume' : `${e.volumesKept} volumes`} kept; the same export goes on from them)` : ''}`;
    case 'export.cancelled':
    case 'export.paused':
    case 'import.failed':
    case 'import.cancelled':
    case 'import.paused':
    case 'ledger.export.failed':
      return e.error.message || e.type;
    case 'media.written':
      return `${count(e.volumes, 'volume')} on ${mediumText(e.medium)}${e.medium.seal ? `, seal ${e.medium.seal}` : ''}`;
    case 'media.verified':
      return `${mediumText(e.medium)} read back: ${e.result === 'ok' ? `${count(e.volumes, 'volume')} match` : 'MISMATCH'}`;
    case 'media.staged':
      return `${e.medium ? `${mediumText(e.medium)}${e.medium.seal ? `, seal ${e.medium.seal}` : ''}` : `Disc ${e.from}`}: ${count(e.volumes, 'volume')} staged${e.volumesOnly ? ' (volumes only)' : ''}${e.complete ? ', bundle complete' : `, ${count(e.missing, 'volume')} still missing`}`;
    case 'media.rejected':
      return `Disc ${e.from} refused${reasonText(e.reason.message)}`;
    case 'custody.handoff':
      return `${personText(e.from)} → ${personText(e.to)} at ${e.place}, seal ${e.sealIntact ? 'intact' : 'NOT intact'}${signedText(e)}`;
    case 'media.disposition':
      return `${e.medium.id} ${e.action} (${e.method})${e.verifiedBy ? `, verified by ${personText(e.verifiedBy)}` : ''}${signedText(e)}`;
    case 'import.verified':
      return `${e.name}: signature by ${e.signer.fingerprint} and ${count(e.volumes, 'volume')} verified`;
    case 'import.rejected':
      return `Refused${reasonText(e.reason?.message ?? e.problems?.[0]?.message)}`;
    case 'import.override':
      return `Refusal overridden: bundle signed by untrusted key ${e.bundleSigner.slice(0, 16)}… imported once because ${e.reason}${signedText(e)}`;
    case 'import.started':
      return `Into ${Object.values(e.targets).join(', ')}`;
    case 'import.completed':
      return `${e.artifacts.filter((a) => a.status === 'imported').length} of ${e.artifacts.length} artifacts imported${attestedText(e.artifacts)}`;
    case 'checkpoint':
      return `Checkpoint: ${e.count} lines, head ${e.head.slice(0, 16)}…`;
    case 'ledger.exported':
      return `Auditor's kit written to ${e.out} (${e.count} lines)`;
    case 'attention.dismissed':
      return `Dismissed from Needs attention: ${e.title}${e.removed ? `; ${e.removed.volumes === 1 ? 'the volume' : `the ${e.removed.volumes} volumes`} it had kept removed from ${e.removed.dir}` : ''}`;
    case 'review.signed':
      return `Lines ${e.range.from}–${e.range.to} reviewed: ${e.result === 'no-findings' ? 'no findings' : 'findings'}${e.notes ? `; ${e.notes}` : ''}${signedText(e)}`;
  }
}

/**
 * A line this version cannot read (another version wrote it, or it was damaged): shown by its type and
 * why, and kept in its stage of a transfer so a report never hides evidence.
 */
function unreadableView(event: StoredEvent, problem: string): EventView {
  const type = typeof event.type === 'string' ? event.type : 'unknown event';
  return { summary: `${type} (not understood: ${problem})`, media: [], stage: STAGES[type as EventType] ?? null };
}

export function describeEvent(stored: StoredEvent): EventView {
  const parsed = parseLedgerEvent(stored);
  if (!parsed.ok) return unreadableView(stored, parsed.problem);
  const event = parsed.event;
  const outcome = outcomeOf(event);
  return { summary: summaryOf(event), ...(outcome ? { outcome } : {}), media: mediaOf(event), stage: STAGES[event.type] ?? null };
}

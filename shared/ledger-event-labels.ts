import type { EventType } from './ledger-events.js';

/**
 * How the wizard names each ledger event type, and so the list its timeline filter offers. Kept apart
 * from ledger-events.ts so the renderer does not bundle zod; typed by its EventType, so a type
 * without a label, or a label for a type the engine does not write, does not compile.
 */
export const EVENT_LABELS: Record<EventType, string> = {
  'ledger.created': 'Ledger created',
  'key.created': 'Key created',
  'key.trusted': 'Key trusted',
  'key.revoked': 'Key revoked',
  'settings.changed': 'Settings changed',
  'rule.change.requested': 'Rule change requested',
  'rule.change.rejected': 'Rule change rejected',
  'person.enrolled': 'Person enrolled',
  'person.removed': 'Person removed',
  'export.requested': 'Export requested',
  'export.approved': 'Export approved',
  'export.rejected': 'Export rejected',
  'export.withdrawn': 'Export withdrawn',
  'export.started': 'Export started',
  'export.completed': 'Export completed',
  'export.failed': 'Export failed',
  'export.cancelled': 'Export cancelled',
  'export.paused': 'Export paused',
  'media.written': 'Media written',
  'media.verified': 'Media verified',
  'media.staged': 'Media staged',
  'media.rejected': 'Media rejected',
  'custody.handoff': 'Custody handoff',
  'media.disposition': 'Media disposition',
  'import.verified': 'Import verified',
  'import.rejected': 'Import rejected',
  'import.override': 'Import override',
  'import.started': 'Import started',
  'import.completed': 'Import completed',
  'import.failed': 'Import failed',
  'import.cancelled': 'Import cancelled',
  'import.paused': 'Import paused',
  'review.signed': 'Review signed',
  'attention.dismissed': 'Attention item dismissed',
  checkpoint: 'Checkpoint',
  'ledger.exported': 'Ledger exported',
  'ledger.export.failed': 'Ledger export failed',
};

/** Every type the engine writes, in the order above. */
export const EVENT_TYPE_LIST = Object.keys(EVENT_LABELS) as EventType[];

/** A type's label; one this version does not write (an older or newer ledger's) is spelled out from its name. */
export function eventTypeLabel(type: string): string {
  if (Object.hasOwn(EVENT_LABELS, type)) return EVENT_LABELS[type as EventType];
  const words = type.replace(/[._-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

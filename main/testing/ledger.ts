import type { EventFields, EventType } from '../../shared/ledger-events.js';
import type { Person, AppendResult, Ledger } from '../ledger/ledger.js';

/**
 * Appends an event of any type and shape, as the ledger's own tests need (notes, refused names,
 * secret-looking fields): the runtime checks still apply; only the compile-time typing is bypassed.
 */
export function appendUntyped(ledger: Ledger, type: string, fields: Record<string, unknown> = {}, person?: Person): AppendResult {
  return ledger.append(type as EventType, fields as EventFields<EventType>, person);
}

import type { Person } from '../../shared/rpc.js';
import { eventOfLine } from '../ledger/chain.js';
import { personIn } from '../ledger/event-fields.js';
import type { Ledger } from '../ledger/ledger.js';

/** What the ledger says of a key this site trusted: whose it is, who trusted it when, and any revocation. */
export interface TrustRecord {
  fingerprint: string;
  name?: string;
  trustedAt?: string;
  trustedBy?: Person;
  source?: string;
  revoked?: { at: string; by: Person; reason: string };
}

const KEY_EVENTS = ['key.trusted', 'key.revoked'] as const;
const PAGE = 500;

/**
 * Every key this ledger trusted or revoked, by fingerprint, the latest decision winning (a key
 * trusted again after a revocation is trusted). Read through the index of event types: the cost is
 * the number of key events, not the ledger's length.
 */
export function trustRecords(ledger: Ledger): Map<string, TrustRecord> {
  const records = new Map<string, TrustRecord>();
  const lines: { seq: number; line: string }[] = [];
  for (const type of KEY_EVENTS) {
    for (let from = 0; ;) {
      const page = ledger.query({ type, order: 'oldest', limit: PAGE, from });
      lines.push(...page);
      if (page.length < PAGE) break;
      from = page[page.length - 1]!.seq;
    }
  }
  lines.sort((a, b) => a.seq - b.seq);
  for (const { line } of lines) {
    const event = eventOfLine(line);
    if (!event || typeof event.fingerprint !== 'string') continue;
    const known = records.get(event.fingerprint) ?? { fingerprint: event.fingerprint };
    const name = typeof event.name === 'string' && event.name ? event.name : known.name;
    const at = String(event.time);
    if (event.type === 'key.trusted') {
      const { revoked: _, ...rest } = known;
      records.set(event.fingerprint, {
        ...rest,
        ...(name ? { name } : {}),
        trustedAt: at,
        trustedBy: personIn(event.operator),
        source: String(event.source ?? ''),
      });
    } else {
      records.set(event.fingerprint, {
        ...known,
        ...(name ? { name } : {}),
        revoked: { at, by: personIn(event.operator), reason: String(event.reason ?? '') },
      });
    }
  }
  return records;
}

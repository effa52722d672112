import fs from 'node:fs/promises';
import path from 'node:path';
import type { EventType } from '../../shared/ledger-events.js';
import { writeFileAtomic } from '../util/atomic.js';
import { canonicalJson } from '../util/canonical-json.js';
import { eventOfLine } from './chain.js';
import type { Ledger } from './ledger.js';

/** The event types a person may sign (shared/ledger-events.ts, Signed and MaybeSigned). */
export const SIGNED_TYPES = [
  'person.enrolled',
  'person.removed',
  'export.approved',
  'export.rejected',
  'settings.changed',
  'rule.change.requested',
  'rule.change.rejected',
  'key.trusted',
  'key.revoked',
  'review.signed',
  'custody.handoff',
  'media.disposition',
  'import.override',
] as const satisfies readonly EventType[];

/** The kit's folders of personal keys and signed statements, present when the ledger has any. */
export const SIGNATURE_DIRS = ['people', 'signatures'] as const;

const PAGE = 500;

/**
 * Writes what VERIFY.sh needs to check every personal signature in lines 1..count with openssl:
 * people/FINGERPRINT.pub.pem for each enrolled key, and for each signed line signatures/SEQ.json
 * (its statement, byte for byte as the line holds it) and signatures/SEQ.sig (the DER signature).
 * Read through the index of event types: the cost is the number of signed events.
 */
export async function writeKitSignatures(ledger: Ledger, dir: string, count: number): Promise<{ signatures: number; people: number }> {
  const signed: { seq: number; event: Record<string, unknown> }[] = [];
  for (const type of SIGNED_TYPES) {
    for (let from = 0; ;) {
      const page = ledger.query({ type, order: 'oldest', from, limit: PAGE });
      for (const { seq, line } of page) {
        if (seq > count) continue;
        const event = eventOfLine(line);
        if (event && typeof event.statement === 'object' && typeof event.signature === 'string' && typeof event.signer === 'string')
          signed.push({ seq, event });
      }
      if (page.length < PAGE) break;
      from = page[page.length - 1]!.seq;
    }
  }
  if (signed.length === 0) return { signatures: 0, people: 0 };
  await fs.mkdir(path.join(dir, 'people'), { recursive: true });
  await fs.mkdir(path.join(dir, 'signatures'), { recursive: true });
  let people = 0;
  for (const { seq, event } of signed) {
    if (
      event.type === 'person.enrolled' &&
      typeof event.fingerprint === 'string' &&
      /^[0-9a-f]{64}$/.test(event.fingerprint) &&
      typeof event.publicKey === 'string'
    ) {
      await writeFileAtomic(path.join(dir, 'people', `${event.fingerprint}.pub.pem`), event.publicKey);
      people += 1;
    }
    await writeFileAtomic(path.join(dir, 'signatures', `${seq}.json`), canonicalJson(event.statement));
    await writeFileAtomic(path.join(dir, 'signatures', `${seq}.sig`), Buffer.from(String(event.signature), 'base64'));
  }
  return { signatures: signed.length, people };
}

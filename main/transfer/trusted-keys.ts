import type { Engine } from '../engine.js';
import { listTrustedKeys, type TrustedKey } from '../keys/keys.js';
import { trustRecords } from '../keys/trust-records.js';

/**
 * Keys pinned with `ferry keys trust` plus those named for this run, without duplicates, each with
 * its name and any revocation the ledger records. A revoked key stays in the list, marked, so a
 * bundle it signed is refused naming the revocation (even a key given again with --trust).
 */
export async function trustedKeysFor(engine: Engine, extra: readonly TrustedKey[]): Promise<TrustedKey[]> {
  const records = trustRecords(engine.ledger);
  const all = [...(await listTrustedKeys(engine.home))];
  for (const key of extra) if (!all.some((k) => k.fingerprint === key.fingerprint)) all.push(key);
  for (const record of records.values()) {
    if (record.revoked && !all.some((k) => k.fingerprint === record.fingerprint)) all.push({ fingerprint: record.fingerprint, publicKeyPem: '', file: '' });
  }
  return all.map((key) => {
    const record = records.get(key.fingerprint);
    return { ...key, ...(record?.name ? { name: record.name } : {}), ...(record?.revoked ? { revoked: record.revoked } : {}) };
  });
}

import type { AttentionItem } from '../../shared/rpc.js';
import type { Ledger } from '../ledger/ledger.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The ledger's part of Home's "Needs attention", newest first and bounded: media that read back
 * with a failure, and media whose disposition is due, each unless someone dismissed it. A medium
 * in transit right after its export is not due yet: it becomes due when this ledger records the
 * bundle's import, or `dueAfterDays` after it was first noted.
 */
export function attentionItems(ledger: Ledger, q: { limit: number; dueAfterDays: number }, now = Date.now()): { items: AttentionItem[]; total: number } {
  const cutoff = new Date(now - q.dueAfterDays * DAY_MS).toISOString();
  const { rows, total } = ledger.bundleState.attention({ cutoff, limit: q.limit });
  const items = rows.map((row): AttentionItem => {
    const bundleName = ledger.bundleState.nameOf(row.bundle);
    const what = bundleName ?? row.bundle.slice(0, 19);
    const message =
      row.kind === 'media-failed'
        ? `Medium ${row.media} of ${what} did not read back correctly: rewrite it or use another, and verify it again.`
        : `Medium ${row.media} of ${what} has no recorded disposition: record whether it was returned, retained, sanitized or destroyed.`;
    return { kind: row.kind, bundle: row.bundle, ...(bundleName ? { bundleName } : {}), media: row.media, seq: row.seq, time: row.time, message };
  });
  return { items, total };
}

import type { BundleSummary } from '../../shared/rpc.js';
import type { BundleStateRow } from '../ledger/bundle-projection.js';
import type { Ledger } from '../ledger/ledger.js';

export interface BundlePage {
  bundles: BundleSummary[];
  /** Bundles that match the search, in all. */
  total: number;
}

/** A page of the bundles the ledger knows, newest activity first, from the materialised bundle state. */
export function bundleSummaries(ledger: Ledger, page: { search?: string | undefined; limit: number; offset: number }): BundlePage {
  const found = ledger.bundleState.bundles(page);
  return { bundles: found.rows.map(summaryOf), total: found.total };
}

function summaryOf(row: BundleStateRow & { media: string[]; flags: number }): BundleSummary {
  const side = row.exported && row.imported ? 'both' : row.exported ? 'export' : row.imported ? 'import' : 'arriving';
  return {
    bundle: row.bundle,
    ...(row.name ? { name: row.name } : {}),
    side,
    firstTime: row.first_time,
    lastTime: row.last_time,
    lastType: row.last_type,
    media: row.media,
    flags: row.flags,
  };
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { BundleSummary } from '../../../../shared/rpc.js';
import { ferry, useConnection } from '../../client';
import { shortDigest } from '../../lib/format';

export interface BundlePage {
  bundles: BundleSummary[];
  /** Bundles that match the search, in all. */
  total: number;
}

/**
 * One page of the bundles the ledger knows (ledger.bundles), newest activity first; `search` is part
 * of a name or the first digits of a digest. The engine pages and searches: a ledger of years
 * sends only what is shown.
 */
export function useBundlePage(search: string, page: number, pageSize: number) {
  const connected = useConnection((s) => s.generation > 0);
  const query = useQuery({
    queryKey: ['ledger.bundles', search, page, pageSize],
    queryFn: async (): Promise<BundlePage> => {
      const { bundles, total } = await ferry().call('ledger.bundles', { ...(search ? { search } : {}), limit: pageSize, offset: page * pageSize });
      return { bundles, total };
    },
    enabled: connected,
    placeholderData: keepPreviousData,
  });
  return { page: query.data ?? null, error: query.error, loading: query.isFetching, reload: () => void query.refetch() };
}

/** The summary of one bundle by its digest (null while loading, or when the ledger does not know it). */
export function useBundleSummary(digest: string) {
  const connected = useConnection((s) => s.generation > 0);
  const query = useQuery({
    queryKey: ['ledger.bundles', 'one', digest],
    queryFn: async () => (await ferry().call('ledger.bundles', { search: digest, limit: 2 })).bundles.find((b) => b.bundle === digest) ?? null,
    enabled: connected && /^sha256:[0-9a-f]{64}$/.test(digest),
  });
  return query.data ?? null;
}

/** How a bundle is named in a list or a picker: its name with the start of its digest. */
export function bundleLabel(b: BundleSummary): string {
  return b.name ? `${b.name} (${shortDigest(b.bundle)})` : shortDigest(b.bundle);
}

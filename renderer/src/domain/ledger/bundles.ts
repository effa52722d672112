import { useQuery } from '@tanstack/react-query';
import type { BundleSummary } from '../../../../shared/rpc.js';
import { ferry, useConnection } from '../../client';

/** Every bundle the ledger knows (ledger.bundles): the Ledger's Bundles tab, its timeline and flags, and the Handoff page. */
export function useLedgerBundles() {
  const connected = useConnection((s) => s.generation > 0);
  const query = useQuery({
    queryKey: ['ledger.bundles'],
    queryFn: async (): Promise<BundleSummary[]> => (await ferry().call('ledger.bundles', {})).bundles,
    enabled: connected,
  });
  return { bundles: query.data ?? null, error: query.error, loading: query.isFetching, reload: () => void query.refetch() };
}

/** The bundle's name, if the ledger knows one. */
export function bundleName(bundles: BundleSummary[] | null, digest: string): string | undefined {
  return bundles?.find((b) => b.bundle === digest)?.name;
}

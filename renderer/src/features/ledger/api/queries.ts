import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { LedgerFilter, LedgerRow } from '../../../../../shared/rpc.js';
import { ferry, useConnection } from '../../../client';

/** Ledger entries matching a filter, newest first; while new filters load, the previous entries stay on screen. */
export function useLedgerEntries(filter: LedgerFilter) {
  const connected = useConnection((s) => s.generation > 0);
  return useQuery({
    queryKey: ['ledger.list', filter],
    queryFn: async (): Promise<{ ledgerId: string; rows: LedgerRow[] }> => {
      const result = await ferry().call('ledger.list', filter);
      return { ledgerId: result.ledgerId, rows: [...result.entries].sort((a, b) => b.seq - a.seq) };
    },
    enabled: connected,
    placeholderData: keepPreviousData,
  });
}

/** One page of the open reconciliation flags (ledger.flags), compared with another site's auditor's kit when one is given. */
export function useLedgerFlags(withKit: string, page = 0, pageSize = 100) {
  const connected = useConnection((s) => s.generation > 0);
  const query = useQuery({
    queryKey: ['ledger.flags', withKit, page, pageSize],
    queryFn: () => ferry().call('ledger.flags', { ...(withKit ? { withKit } : {}), limit: pageSize, offset: page * pageSize }),
    enabled: connected,
    placeholderData: keepPreviousData,
  });
  return {
    flags: query.data?.flags ?? null,
    total: query.data?.total ?? 0,
    compared: query.data?.compared ?? null,
    error: query.error,
    loading: query.isFetching,
    reload: () => void query.refetch(),
  };
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { LedgerFilter, LedgerRow } from '../../../../../shared/rpc.js';
import { ferry, useConnection } from '../../../client';

/**
 * Ledger entries matching a filter, newest first. `revision` is the ledger view's count of its own
 * writes; while new filters load, the previous entries stay on screen.
 */
export function useLedgerEntries(filter: LedgerFilter, revision: number) {
  const connected = useConnection((s) => s.generation > 0);
  return useQuery({
    queryKey: ['ledger.list', filter, revision],
    queryFn: async (): Promise<{ ledgerId: string; rows: LedgerRow[] }> => {
      const result = await ferry().call('ledger.list', filter);
      return { ledgerId: result.ledgerId, rows: [...result.entries].sort((a, b) => b.seq - a.seq) };
    },
    enabled: connected,
    placeholderData: keepPreviousData,
  });
}

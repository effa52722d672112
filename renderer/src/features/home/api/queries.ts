import { useQuery } from '@tanstack/react-query';
import type { ApprovalRequestInfo, LedgerRow, ReconciliationFlag } from '../../../../../shared/rpc.js';
import { ferry } from '../../../client';

/** Approval requests still waiting, newest first. */
export function usePendingApprovals() {
  return useQuery({
    queryKey: ['approval.list', 'pending'],
    queryFn: async (): Promise<ApprovalRequestInfo[]> =>
      (await ferry().call('approval.list', {})).requests.filter((r) => r.state === 'pending').sort((a, b) => b.requestedAt.localeCompare(a.requestedAt)),
  });
}

/** Media the ledger says left without a disposition. */
export function useMediaFlags() {
  return useQuery({
    queryKey: ['ledger.flags', 'media-not-dispositioned'],
    queryFn: async (): Promise<ReconciliationFlag[]> => (await ferry().call('ledger.flags', {})).flags.filter((f) => f.kind === 'media-not-dispositioned'),
  });
}

/** The ten latest ledger events, newest first. */
export function useRecentLedgerEvents() {
  return useQuery({
    queryKey: ['ledger.list', 'recent'],
    queryFn: async (): Promise<LedgerRow[]> => [...(await ferry().call('ledger.list', { limit: 10 })).entries].sort((a, b) => b.seq - a.seq).slice(0, 10),
  });
}

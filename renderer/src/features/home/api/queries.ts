import { useQuery } from '@tanstack/react-query';
import type { ApprovalRequestInfo, LedgerRow, RuleRequestInfo } from '../../../../../shared/rpc.js';
import { ferry } from '../../../client';

export interface PendingApprovals {
  exports: ApprovalRequestInfo[];
  ruleChanges: RuleRequestInfo[];
}

/** Export requests and two-person rule changes still waiting for a second person, newest first. */
export function usePendingApprovals() {
  return useQuery({
    queryKey: ['approval.list', 'pending'],
    queryFn: async (): Promise<PendingApprovals> => {
      const listed = await ferry().call('approval.list', {});
      const newestFirst = <T extends { requestedAt: string }>(a: T, b: T) => b.requestedAt.localeCompare(a.requestedAt);
      return {
        exports: listed.requests.filter((r) => r.status === 'pending').sort(newestFirst),
        ruleChanges: listed.ruleRequests.filter((r) => r.status === 'pending').sort(newestFirst),
      };
    },
  });
}

/** The ledger's newest items needing attention (media read back wrong, dispositions due), bounded: Home shows a few and counts the rest. */
export function useLedgerAttention() {
  return useQuery({
    queryKey: ['ledger.attention'],
    queryFn: () => ferry().call('ledger.attention', { limit: 30 }),
  });
}

/** The ten latest ledger events, newest first. */
export function useRecentLedgerEvents() {
  return useQuery({
    queryKey: ['ledger.list', 'recent'],
    queryFn: async (): Promise<LedgerRow[]> => [...(await ferry().call('ledger.list', { limit: 10 })).entries].sort((a, b) => b.seq - a.seq).slice(0, 10),
  });
}

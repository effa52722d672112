import { useQuery } from '@tanstack/react-query';
import type { TransferReport } from '../../../../shared/rpc.js';
import { ferry, useConnection } from '../../client';

export interface ReportState {
  report: TransferReport | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * ledger.report for one bundle (a full digest or a unique prefix), joined with another site's
 * auditor's kit when one is given. Moving between the bundle's pages
 * shows the last report at once while it is fetched again; a failed fetch shows no report.
 */
export function useReport(digest: string | undefined, withKit = ''): ReportState {
  const connected = useConnection((s) => s.generation > 0);
  const query = useQuery({
    queryKey: ['ledger.report', digest, withKit],
    queryFn: () => ferry().call('ledger.report', { bundle: digest!, ...(withKit ? { withKit } : {}) }),
    enabled: Boolean(digest) && connected,
  });
  return {
    report: digest && !query.error ? (query.data ?? null) : null,
    error: digest ? query.error : null,
    loading: query.isFetching,
    reload: () => void query.refetch(),
  };
}

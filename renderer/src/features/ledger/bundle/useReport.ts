import { useCallback, useEffect, useState } from 'react';
import type { TransferReport } from '../../../../../shared/rpc.js';
import { ferry, useConnection } from '../../../client';

/** The last report fetched for each bundle, so moving between its pages shows it at once while it is fetched again. */
const cache = new Map<string, TransferReport>();

export interface ReportState {
  report: TransferReport | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** ledger.report for one bundle (a full digest or a unique prefix), fetched again on reconnection and on reload(). */
export function useReport(digest: string | undefined): ReportState {
  const [report, setReport] = useState<TransferReport | null>(() => (digest ? (cache.get(digest) ?? null) : null));
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const generation = useConnection((s) => s.generation);

  useEffect(() => {
    if (!digest) {
      setReport(null);
      setError(null);
      return;
    }
    setReport(cache.get(digest) ?? null);
    if (generation === 0) return;
    let live = true;
    setLoading(true);
    ferry()
      .call('ledger.report', { bundle: digest })
      .then(
        (result) => {
          if (!live) return;
          cache.set(digest, result);
          if (result.bundle !== digest) cache.set(result.bundle, result);
          setReport(result);
          setError(null);
        },
        (err: unknown) => {
          if (!live) return;
          setError(err);
          setReport(null);
          cache.delete(digest);
        },
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [digest, generation, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { report, error, loading, reload };
}

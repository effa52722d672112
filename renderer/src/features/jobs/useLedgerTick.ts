import { useConnection } from '../../client';
import { useJobs } from './jobsStore';

/**
 * A value that changes when the connection comes back or a job finishes (it may have written to
 * the ledger): views of the ledger reload on it. `generation` is 0 before the first connection.
 */
export function useLedgerTick(): { generation: number; tick: string } {
  const generation = useConnection((s) => s.generation);
  const finished = useJobs((s) =>
    Object.values(s.jobs)
      .filter((j) => j.state !== 'running')
      .map((j) => `${j.id}:${j.state}`)
      .sort()
      .join(','),
  );
  return { generation, tick: `${generation} ${finished}` };
}

import { useQuery } from '@tanstack/react-query';
import type { PersonRecord } from '../../../../shared/rpc.js';
import { ferry, useConnection } from '../../client';

/** Everyone enrolled on this site (removed people included), and whether the two-person rule is on. */
export function usePeople() {
  const connected = useConnection((s) => s.generation > 0);
  return useQuery({ queryKey: ['people.list'], queryFn: () => ferry().call('people.list', {}), enabled: connected });
}

export const activeOnly = (people: readonly PersonRecord[] | undefined) => (people ?? []).filter((p) => !p.removed);

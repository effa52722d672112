import { QueryClient } from '@tanstack/react-query';
import type { Job } from '../../../shared/rpc.js';
import { ferry, useConnection } from '../client';

/**
 * The renderer's server state: every engine read goes through this client's queries. They are asked
 * again when the engine says something changed, so nothing keeps its own staleness counter.
 */
export const queryClient = new QueryClient({
  // Errors show at once, as before: the screens offer their own "try again".
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});

/** Engine events after which what the screens show may be out of date. Adding `ledger.appended` is one line here. */
const INVALIDATING_EVENTS = {
  // A finished job may have written to the ledger, the approvals or the stores; progress events change nothing listed.
  'job.updated': (job: Job) => job.state !== 'running',
} as const;

let started = false;

/** Subscribes the query client to the engine's events and to reconnection, once for the app's life. */
export function startServerInvalidation(): void {
  if (started) return;
  started = true;
  for (const [event, changes] of Object.entries(INVALIDATING_EVENTS)) {
    ferry().on(event as keyof typeof INVALIDATING_EVENTS, (payload) => {
      if (changes(payload)) void queryClient.invalidateQueries();
    });
  }
  // Events may have been missed while the connection was down.
  useConnection.subscribe((now, before) => {
    if (now.generation !== before.generation) void queryClient.invalidateQueries();
  });
}

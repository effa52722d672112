import { QueryClient } from '@tanstack/react-query';
import type { EventData, EventName, Job } from '../../../shared/rpc.js';
import { ferry, useConnection } from '../client';

/**
 * The renderer's server state: every engine read goes through this client's queries. They are asked
 * again when the engine says something changed, so nothing keeps its own staleness counter.
 */
export const queryClient = new QueryClient({
  // Errors show at once, as before: the screens offer their own "try again".
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
});

/** Engine events after which what the screens show may be out of date, each with the test of whether it changed anything. */
const INVALIDATING_EVENTS: { [E in EventName]: (data: EventData<E>) => boolean } = {
  // A finished job may have written to the ledger, the approvals or the stores; progress events change nothing listed.
  'job.updated': (job: Job) => job.state !== 'running',
  // A line in the ledger from anyone (this window, a job, the CLI, another window): approvals, flags and reports may read differently.
  'ledger.appended': () => true,
};

let started = false;

/** Subscribes the query client to the engine's events and to reconnection, once for the app's life. */
export function startServerInvalidation(): void {
  if (started) return;
  started = true;
  const invalidateWhen = <E extends EventName>(event: E) =>
    ferry().on(event, (data) => {
      if (INVALIDATING_EVENTS[event](data)) void queryClient.invalidateQueries();
    });
  for (const event of Object.keys(INVALIDATING_EVENTS) as EventName[]) invalidateWhen(event);
  // Events may have been missed while the connection was down.
  useConnection.subscribe((now, before) => {
    if (now.generation !== before.generation) void queryClient.invalidateQueries();
  });
}

/** This window wrote something (a review, a handoff, a disposition, a kit): every screen asks the engine again now. */
export function serverStateChanged(): void {
  void queryClient.invalidateQueries();
}

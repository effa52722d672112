import { create } from 'zustand';
import type { Outcome } from '../../../../shared/rpc.js';

export type LedgerTab = 'timeline' | 'bundles' | 'flags' | 'kit';

export interface TimelineFilters {
  /** YYYY-MM-DD (local dates, inclusive), '' for open. */
  from: string;
  to: string;
  type: string;
  person: string;
  bundle: string;
  media: string;
  outcome: Outcome | '';
}

export const NO_FILTERS: TimelineFilters = { from: '', to: '', type: '', person: '', bundle: '', media: '', outcome: '' };

interface LedgerViewState {
  /** Kept while the user visits a bundle's page and comes back. */
  tab: LedgerTab;
  /** From the last ledger.list answer. */
  ledgerId: string | null;
  filters: TimelineFilters;
  setTab: (tab: LedgerTab) => void;
  setLedgerId: (id: string) => void;
  setFilter: <K extends keyof TimelineFilters>(key: K, value: TimelineFilters[K]) => void;
  setFilters: (filters: TimelineFilters) => void;
  /** Another site's auditor's kit the flags are reconciled with ('' for none). */
  withKit: string;
  setWithKit: (dir: string) => void;
}

/** What the user chose in the Ledger area (the tab, the timeline's filters, a kit to compare with); what the ledger holds comes from queries. */
export const useLedgerView = create<LedgerViewState>((set) => ({
  tab: 'timeline',
  ledgerId: null,
  filters: NO_FILTERS,
  withKit: '',
  setWithKit: (withKit) => set({ withKit }),
  setTab: (tab) => set({ tab }),
  setLedgerId: (ledgerId) => set({ ledgerId }),
  setFilter: (key, value) => set((s) => ({ filters: { ...s.filters, [key]: value } })),
  setFilters: (filters) => set({ filters }),
}));

/** Local-date filters as the engine takes them: ISO times, inclusive, the whole of each day. */
export function timeRange(from: string, to: string): { since?: string; until?: string } {
  const range: { since?: string; until?: string } = {};
  const start = from ? new Date(`${from}T00:00:00`) : null;
  const end = to ? new Date(`${to}T23:59:59.999`) : null;
  if (start && !Number.isNaN(start.getTime())) range.since = start.toISOString();
  if (end && !Number.isNaN(end.getTime())) range.until = end.toISOString();
  return range;
}

import { create } from 'zustand';
import type { ErrorEnvelope } from '../../../../shared/errors.js';
import type { BundleSummary, Outcome, ReconciliationFlag } from '../../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../../client';

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
  bundles: BundleSummary[] | null;
  bundlesError: ErrorEnvelope | null;
  bundlesLoading: boolean;
  flags: ReconciliationFlag[] | null;
  flagsError: ErrorEnvelope | null;
  flagsLoading: boolean;
  setTab: (tab: LedgerTab) => void;
  setLedgerId: (id: string) => void;
  setFilter: <K extends keyof TimelineFilters>(key: K, value: TimelineFilters[K]) => void;
  setFilters: (filters: TimelineFilters) => void;
  loadBundles: () => Promise<void>;
  loadFlags: () => Promise<void>;
  /** Another site's auditor's kit the flags are reconciled with ('' for none), and what that comparison read. */
  withKit: string;
  compared: { dir: string; lines: number } | null;
  setWithKit: (dir: string) => void;
  /** Bumped when this window writes to the ledger (review, handoff, disposition, kit): the timeline reloads. */
  revision: number;
  /** After a write: reload the bundles and flags, and bump `revision`. */
  changed: () => void;
}

/** What the Ledger area shows: the chosen tab, the timeline's filters, and every bundle the ledger knows. */
export const useLedgerView = create<LedgerViewState>((set, get) => ({
  tab: 'timeline',
  ledgerId: null,
  filters: NO_FILTERS,
  bundles: null,
  bundlesError: null,
  bundlesLoading: false,
  flags: null,
  flagsError: null,
  flagsLoading: false,
  withKit: '',
  compared: null,
  setWithKit: (withKit) => {
    set({ withKit, compared: null });
    void get().loadFlags();
  },
  revision: 0,
  setTab: (tab) => set({ tab }),
  setLedgerId: (ledgerId) => set({ ledgerId }),
  setFilter: (key, value) => set((s) => ({ filters: { ...s.filters, [key]: value } })),
  setFilters: (filters) => set({ filters }),
  loadBundles: async () => {
    if (get().bundlesLoading) return;
    set({ bundlesLoading: true });
    try {
      const { bundles } = await ferry().call('ledger.bundles', {});
      set({ bundles, bundlesError: null, bundlesLoading: false });
    } catch (err) {
      set({ bundlesError: toErrorEnvelope(err), bundlesLoading: false });
    }
  },
  loadFlags: async () => {
    if (get().flagsLoading) return;
    set({ flagsLoading: true });
    try {
      const withKit = get().withKit;
      const { flags, compared } = await ferry().call('ledger.flags', withKit ? { withKit } : {});
      set({ flags, compared: compared ?? null, flagsError: null, flagsLoading: false });
    } catch (err) {
      set({ flagsError: toErrorEnvelope(err), flagsLoading: false });
    }
  },
  changed: () => {
    set((s) => ({ revision: s.revision + 1 }));
    void get().loadBundles();
    void get().loadFlags();
  },
}));

/** The bundle's name, if the ledger knows one. */
export function bundleName(bundles: BundleSummary[] | null, digest: string): string | undefined {
  return bundles?.find((b) => b.bundle === digest)?.name;
}

/** Local-date filters as the engine takes them: ISO times, inclusive, the whole of each day. */
export function timeRange(from: string, to: string): { since?: string; until?: string } {
  const range: { since?: string; until?: string } = {};
  const start = from ? new Date(`${from}T00:00:00`) : null;
  const end = to ? new Date(`${to}T23:59:59.999`) : null;
  if (start && !Number.isNaN(start.getTime())) range.since = start.toISOString();
  if (end && !Number.isNaN(end.getTime())) range.until = end.toISOString();
  return range;
}

import { create } from 'zustand';
import type { ErrorEnvelope } from '../../../shared/errors.js';
import type { Result } from '../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../client';

export type AppInfo = Result<'app.info'>;

interface AppInfoState {
  info: AppInfo | null;
  error: ErrorEnvelope | null;
  loading: boolean;
  load: () => Promise<void>;
  setOperator: (operator: AppInfo['operator']) => void;
}

/** What app.info says about this installation: version, operator, defaults, transport. */
export const useAppInfo = create<AppInfoState>((set, get) => ({
  info: null,
  error: null,
  loading: false,
  load: async () => {
    if (get().loading) return;
    set({ loading: true });
    try {
      const info = await ferry().call('app.info', {});
      set({ info, error: null, loading: false });
    } catch (err) {
      set({ error: toErrorEnvelope(err), loading: false });
    }
  },
  setOperator: (operator) => {
    const info = get().info;
    if (info) set({ info: { ...info, operator } });
  },
}));

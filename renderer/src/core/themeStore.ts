import { create } from 'zustand';

export type ThemeMode = 'light' | 'dark';
const KEY = 'ferry.theme';

function initialMode(): ThemeMode {
  try {
    const saved = window.localStorage.getItem(KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage may be unavailable; fall back to the system's preference.
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

interface ThemeState {
  mode: ThemeMode;
  toggle: () => void;
}

export const useThemeMode = create<ThemeState>((set, get) => ({
  mode: initialMode(),
  toggle: () => {
    const mode: ThemeMode = get().mode === 'light' ? 'dark' : 'light';
    try {
      window.localStorage.setItem(KEY, mode);
    } catch {
      // Not persisted; the choice still holds for this session.
    }
    set({ mode });
  },
}));

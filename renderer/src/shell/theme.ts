import { createTheme, type Theme } from '@mui/material/styles';
import type { ThemeMode } from './themeStore';

/** System fonts only: the machine is offline and the CSP allows no external fonts. */
export const SANS = 'system-ui, -apple-system, "Segoe UI", "Noto Sans", "Liberation Sans", "Helvetica Neue", Arial, sans-serif';
export const MONO = 'ui-monospace, "SFMono-Regular", "Cascadia Mono", "Segoe UI Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace';
/** Digests, paths and IDs inside tables and command blocks. */
export const monoSmall = { fontFamily: MONO, fontSize: '0.8125rem' } as const;

/** One calm theme: MUI's default, a single primary colour, comfortable spacing, light and dark. */
export function makeTheme(mode: ThemeMode): Theme {
  const dark = mode === 'dark';
  return createTheme({
    palette: {
      mode,
      primary: { main: dark ? '#86b7e3' : '#245d8c' },
      background: dark ? { default: '#111418', paper: '#181c21' } : { default: '#f5f6f8', paper: '#ffffff' },
      ...(dark ? { divider: 'rgba(255,255,255,0.12)' } : {}),
    },
    shape: { borderRadius: 8 },
    typography: {
      fontFamily: SANS,
      h1: { fontSize: '1.75rem', fontWeight: 600, lineHeight: 1.25 },
      h2: { fontSize: '1.25rem', fontWeight: 600, lineHeight: 1.3 },
      h3: { fontSize: '1.05rem', fontWeight: 600, lineHeight: 1.35 },
      button: { textTransform: 'none', fontWeight: 600 },
    },
    components: {
      MuiButton: { defaultProps: { disableElevation: true } },
      MuiAppBar: { defaultProps: { elevation: 0, color: 'default' } },
      MuiTableCell: { styleOverrides: { head: { fontWeight: 600 } } },
      MuiTooltip: { defaultProps: { arrow: true } },
      MuiAlert: { styleOverrides: { message: { overflowWrap: 'anywhere' } } },
    },
  });
}

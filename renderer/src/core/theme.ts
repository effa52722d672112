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
  const primary = dark ? '#86b7e3' : '#245d8c';
  /**
   * A ring on the control that has the keyboard focus (only then: not after a click). MUI's own focus
   * ripple is faint, and contained buttons show no other sign of focus with elevation off. Inside
   * clipping containers (tab strips, cards) the ring is drawn just inside the control.
   */
  const focusRing = (offset: number) => ({ '&.Mui-focusVisible': { outline: `2px solid ${primary}`, outlineOffset: offset } });
  return createTheme({
    palette: {
      mode,
      // Text on a filled colour (chips, contained buttons, filled alerts) is black or white, whichever
      // gives WCAG AA contrast (4.5:1): white on MUI's orange warning or on the dark theme's red does not.
      contrastThreshold: 4.5,
      primary: { main: primary },
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
      MuiButton: { defaultProps: { disableElevation: true }, styleOverrides: { root: focusRing(2) } },
      MuiIconButton: { styleOverrides: { root: focusRing(0) } },
      MuiTab: { styleOverrides: { root: focusRing(-2) } },
      MuiCardActionArea: { styleOverrides: { root: focusRing(-2) } },
      MuiAppBar: { defaultProps: { elevation: 0, color: 'default' } },
      MuiTableCell: { styleOverrides: { head: { fontWeight: 600 } } },
      MuiTooltip: { defaultProps: { arrow: true } },
      MuiAlert: { styleOverrides: { message: { overflowWrap: 'anywhere' } } },
    },
  });
}

import PrintOutlinedIcon from '@mui/icons-material/PrintOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import GlobalStyles from '@mui/material/GlobalStyles';
import Stack from '@mui/material/Stack';
import { createTheme, ThemeProvider, useTheme } from '@mui/material/styles';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { ferry } from '../client';
import { useAppInfo } from '../core/appInfoStore';
import { makeTheme } from '../core/theme';
import { Digest } from './Digest';
import { ErrorAlert } from './ErrorAlert';

/** Black on white, whatever the app's theme: what the sheet is drawn (and printed) with. */
function paperTheme() {
  const base = makeTheme('light');
  return createTheme(base, {
    palette: {
      text: { primary: '#000000', secondary: '#333333' },
      divider: 'rgba(0,0,0,0.35)',
      primary: { main: '#000000' },
      background: { default: '#ffffff', paper: '#ffffff' },
    },
  });
}

export interface PrintAction {
  busy: boolean;
  /** Where Electron saved the PDF (null: the user cancelled the save dialog). */
  saved: string | null | undefined;
  error: unknown;
  print: () => Promise<void>;
}

/**
 * Prints the page: in the desktop app, print.pdf saves it as a PDF where the user chooses; in a
 * browser, the browser's print dialog (which offers "Save as PDF"), with `suggestedName` as the
 * document title so the PDF is named after it.
 */
export function usePrintAction(suggestedName: string): PrintAction {
  const transport = useAppInfo((s) => s.info?.transport);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);

  async function print() {
    setError(null);
    setSaved(undefined);
    if (transport === 'electron') {
      setBusy(true);
      try {
        const { path } = await ferry().call('print.pdf', { suggestedName });
        setSaved(path);
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
      return;
    }
    const title = document.title;
    document.title = suggestedName;
    try {
      window.print();
    } finally {
      document.title = title;
    }
  }

  return { busy, saved, error, print };
}

export interface PrintableDocumentProps {
  /** The document's title: the page's one h1. */
  title: string;
  /** A line under the title (side, date). */
  subtitle?: ReactNode;
  /** Links and buttons above the sheet, on screen only (never printed). */
  toolbar?: ReactNode;
  /** The name the PDF is saved under, without .pdf. */
  suggestedName: string;
  /** Printed at the foot of every page, beside "Page N of M" (e.g. the bundle's digest). */
  runningFooter?: string;
  children: ReactNode;
}

/** A CSS string's content: backslashes and quotes escaped, line breaks dropped. */
const cssString = (text: string) => text.replace(/[\\"]/g, '\\$&').replace(/[\r\n]+/g, ' ');

/** An A4 sheet, black on white, printed without the app bar, navigation or buttons; with a "Print or save as PDF" button above it. */
export function PrintableDocument({ title, subtitle, toolbar, suggestedName, runningFooter, children }: PrintableDocumentProps) {
  const paper = useMemo(() => paperTheme(), []);
  const outer = useTheme();
  const action = usePrintAction(suggestedName);

  // The sheet replaces a loading heading: keep keyboard and screen-reader users on the page's h1.
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) document.getElementById('page-heading')?.focus({ preventScroll: true });
  }, []);

  return (
    <>
      <GlobalStyles
        styles={{
          '@page': { size: 'A4', margin: '14mm' },
          '@media print': {
            'html, body': { background: '#ffffff !important', color: '#000000 !important' },
            '.MuiTooltip-popper': { display: 'none !important' },
          },
        }}
      />
      {/* Page margin boxes, written as CSS text: they are print-only and beyond what the style engine nests. */}
      <style>{`@page { @bottom-left { content: "${cssString(runningFooter ?? title)}"; font: 7pt monospace; } @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; } }`}</style>
      <Stack
        direction="row"
        spacing={1.5}
        useFlexGap
        sx={{ displayPrint: 'none', alignItems: 'center', flexWrap: 'wrap', mb: 2, maxWidth: '210mm', mx: 'auto' }}
      >
        {toolbar}
        <Box sx={{ flex: 1 }} />
        <Button variant="contained" startIcon={<PrintOutlinedIcon />} onClick={() => void action.print()} disabled={action.busy}>
          {action.busy ? 'Saving the PDF…' : 'Print or save as PDF'}
        </Button>
      </Stack>
      <Box sx={{ displayPrint: 'none', maxWidth: '210mm', mx: 'auto' }}>
        {action.saved && (
          <Alert severity="success" role="status" sx={{ mb: 2 }}>
            Saved as PDF: <Digest value={action.saved} label="PDF path" />
          </Alert>
        )}
        {action.saved === null && (
          <Alert severity="info" role="status" sx={{ mb: 2 }}>
            Not saved: the save dialog was closed.
          </Alert>
        )}
        {action.error != null && (
          <Box sx={{ mb: 2 }}>
            <ErrorAlert error={action.error} title="The PDF was not saved">
              <Box sx={{ mt: 0.5 }}>Choose another folder in the save dialog, or try again.</Box>
            </ErrorAlert>
          </Box>
        )}
      </Box>
      <ThemeProvider theme={paper}>
        <Box
          component="article"
          aria-labelledby="page-heading"
          sx={{
            bgcolor: '#ffffff',
            color: '#000000',
            maxWidth: '210mm',
            mx: 'auto',
            p: { xs: 3, md: '14mm' },
            boxShadow: outer.palette.mode === 'dark' ? 'none' : 1,
            border: 1,
            borderColor: 'rgba(0,0,0,0.12)',
            borderRadius: 0.5,
            '& table': { breakInside: 'auto' },
            '& tr, & .print-keep': { breakInside: 'avoid' },
            '& h2': { breakAfter: 'avoid' },
            '@media print': {
              maxWidth: 'none',
              p: 0,
              boxShadow: 'none',
              border: 0,
              '& button': { display: 'none !important' },
            },
          }}
        >
          <Box sx={{ borderBottom: 2, borderColor: '#000', pb: 1.5, mb: 3 }}>
            <Typography variant="h1" id="page-heading" tabIndex={-1} sx={{ fontSize: '1.6rem', '&:focus': { outline: 'none' } }}>
              {title}
            </Typography>
            {subtitle && (
              <Typography variant="body2" sx={{ mt: 0.5 }}>
                {subtitle}
              </Typography>
            )}
          </Box>
          {children}
        </Box>
      </ThemeProvider>
    </>
  );
}

/** A titled part of a printable document. */
export function DocSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box component="section" sx={{ mb: 3 }}>
      <Typography variant="h2" sx={{ fontSize: '1.05rem', mb: 1, textTransform: 'uppercase', letterSpacing: '0.06em' }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

/** Blank lines to sign on paper: one row per role, with name, date and signature. */
export function SignatureLines({ roles, label = 'Signatures' }: { roles: string[]; label?: string }) {
  const blank = <Box sx={{ borderBottom: '1px solid #000', height: '11mm' }} />;
  return (
    <Box
      component="table"
      aria-label={label}
      sx={{
        width: '100%',
        borderCollapse: 'separate',
        borderSpacing: '10px 0',
        mx: '-10px',
        '& th, & td': { textAlign: 'left', verticalAlign: 'bottom', p: 0, pt: 0.5 },
      }}
    >
      <thead>
        <tr>
          <Box component="th" sx={{ width: '20%' }}>
            Role
          </Box>
          <Box component="th" sx={{ width: '32%' }}>
            Name
          </Box>
          <Box component="th" sx={{ width: '18%' }}>
            Date
          </Box>
          <Box component="th">Signature</Box>
        </tr>
      </thead>
      <tbody>
        {roles.map((role) => (
          <tr key={role}>
            <Box component="th" scope="row" sx={{ fontWeight: 600, pb: '2px !important' }}>
              {role}
            </Box>
            <td>{blank}</td>
            <td>{blank}</td>
            <td>{blank}</td>
          </tr>
        ))}
      </tbody>
    </Box>
  );
}

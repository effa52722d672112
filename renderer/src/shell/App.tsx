import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { useEffect, useMemo, useRef, type ComponentType } from 'react';
import { useConnection } from '../client';
import { ErrorAlert } from '../components/ErrorAlert';
import { ExportPage } from '../features/export/ExportPage';
import { HomePage } from '../features/home/HomePage';
import { ImportPage } from '../features/import/ImportPage';
import { startJobFeed } from '../domain/jobs/jobs';
import { HandoffPage } from '../features/custody/HandoffPage';
import { LedgerArea } from '../features/ledger/LedgerArea';
import { SettingsPage } from '../features/settings/SettingsPage';
import { useAppInfo } from '../core/appInfoStore';
import { AppShell } from './AppShell';
import { approvalDecided, openJob } from './openJob';
import { pageTitle, usePageKey, useRoute, useRoutePath, type Route } from '../core/router';
import { startServerInvalidation } from '../core/serverState';
import { makeTheme } from '../core/theme';
import { useThemeMode } from '../core/themeStore';
import { ResumeLoginDialog } from '../domain/jobs/ResumeLoginDialog';

function Home() {
  return <HomePage openJob={openJob} onApprovalDecided={approvalDecided} />;
}

/** The screens, composed here: Home reaches the wizards through the links this layer gives it. */
const PAGES: Record<Route, ComponentType> = {
  home: Home,
  export: ExportPage,
  import: ImportPage,
  handoff: HandoffPage,
  ledger: LedgerArea,
  settings: SettingsPage,
};

export function App() {
  const mode = useThemeMode((s) => s.mode);
  const theme = useMemo(() => makeTheme(mode), [mode]);
  const route = useRoute();
  const path = useRoutePath();
  const pageKey = usePageKey();
  const generation = useConnection((s) => s.generation);
  const infoError = useAppInfo((s) => s.error);
  const hasInfo = useAppInfo((s) => s.info !== null);
  const firstRoute = useRef(true);

  useEffect(() => {
    startJobFeed();
    startServerInvalidation();
  }, []);

  // On every (re)connection: what the engine says now (the jobs and other queries are asked again by serverState).
  useEffect(() => {
    if (generation === 0) return;
    void useAppInfo.getState().load();
  }, [generation]);

  useEffect(() => {
    document.title = pageTitle(route, path);
  }, [route, path]);

  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    // After navigation, land keyboard and screen-reader users on the new page's heading.
    document.getElementById('page-heading')?.focus();
    window.scrollTo(0, 0);
  }, [pageKey]);

  useEffect(() => {
    document.documentElement.style.colorScheme = mode;
  }, [mode]);

  const Page = PAGES[route];
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <AppShell route={route}>
        {infoError && !hasInfo && (
          <Box sx={{ mb: 3 }}>
            <ErrorAlert
              error={infoError}
              title="Ferry's engine did not answer"
              action={
                <Button color="inherit" onClick={() => void useAppInfo.getState().load()}>
                  Try again
                </Button>
              }
            />
          </Box>
        )}
        {!infoError && !hasInfo && generation > 0 && (
          <Alert severity="info" role="status" sx={{ mb: 3 }}>
            Loading…
          </Alert>
        )}
        <Page />
        <ResumeLoginDialog />
      </AppShell>
    </ThemeProvider>
  );
}

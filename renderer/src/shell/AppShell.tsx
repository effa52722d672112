import DarkModeOutlinedIcon from '@mui/icons-material/DarkModeOutlined';
import LightModeOutlinedIcon from '@mui/icons-material/LightModeOutlined';
import PersonOutlineIcon from '@mui/icons-material/PersonOutline';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Container from '@mui/material/Container';
import IconButton from '@mui/material/IconButton';
import Link from '@mui/material/Link';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { visuallyHidden } from '../components/VisuallyHidden';
import { useAppInfo } from '../core/appInfoStore';
import { ConnectionBanner } from './ConnectionBanner';
import { navigate, ROUTE_TITLES, ROUTES, type Route } from '../core/router';
import { useThemeMode } from '../core/themeStore';

function Logo() {
  return (
    <Box component="svg" viewBox="0 0 64 64" aria-hidden="true" sx={{ width: 28, height: 28, flexShrink: 0 }}>
      <rect width="64" height="64" rx="14" fill="currentColor" />
      <path d="M10 40h44l-6 10H16z" fill="#fff" />
      <path d="M20 36V20h10v16zM34 36V14h10v22z" fill="#fff" opacity="0.75" />
    </Box>
  );
}

/** The frame of every screen: app bar (name, navigation, operator, theme), the connection banner, the page. */
export function AppShell({ route, children }: { route: Route; children: ReactNode }) {
  const { mode, toggle } = useThemeMode();
  const operator = useAppInfo((s) => s.info?.operator);
  const nextMode = mode === 'light' ? 'dark' : 'light';

  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <Link
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('page-heading')?.focus();
        }}
        sx={{
          displayPrint: 'none',
          ...visuallyHidden,
          '&:focus': {
            position: 'fixed',
            top: 8,
            left: 8,
            width: 'auto',
            height: 'auto',
            clip: 'auto',
            margin: 0,
            zIndex: 2000,
            bgcolor: 'background.paper',
            p: 1,
            borderRadius: 1,
          },
        }}
      >
        Skip to main content
      </Link>
      <AppBar position="sticky" sx={{ borderBottom: 1, borderColor: 'divider', bgcolor: 'background.paper', displayPrint: 'none' }}>
        <Toolbar sx={{ gap: 3 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, color: 'primary.main' }}>
            <Logo />
            <Typography component="div" sx={{ fontWeight: 700, fontSize: '1.25rem', color: 'text.primary', letterSpacing: '0.01em' }}>
              Ferry
            </Typography>
          </Box>
          <Box component="nav" aria-label="Main" sx={{ display: 'flex', gap: 0.5 }}>
            {ROUTES.map((r) => {
              const active = r === route;
              return (
                <Button
                  key={r}
                  onClick={() => navigate(r)}
                  aria-current={active ? 'page' : undefined}
                  color={active ? 'primary' : 'inherit'}
                  sx={{
                    px: 1.5,
                    color: active ? 'primary.main' : 'text.secondary',
                    bgcolor: active ? 'action.selected' : 'transparent',
                  }}
                >
                  {ROUTE_TITLES[r]}
                </Button>
              );
            })}
          </Box>
          <Box sx={{ flex: 1 }} />
          {operator && (
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75, color: 'text.secondary' }} aria-label="Operator" role="group">
              <PersonOutlineIcon fontSize="small" aria-hidden="true" />
              <Typography variant="body2" component="span" data-testid="operator-name">
                <Box component="span" sx={visuallyHidden}>
                  Operator:{' '}
                </Box>
                <Box component="span" sx={{ color: 'text.primary', fontWeight: 500 }}>
                  {operator.name}
                </Box>
                {operator.role ? ` · ${operator.role}` : ''}
              </Typography>
            </Box>
          )}
          <Tooltip title={`Switch to ${nextMode} theme`}>
            <IconButton onClick={toggle} aria-label={`Switch to ${nextMode} theme`}>
              {mode === 'light' ? <DarkModeOutlinedIcon /> : <LightModeOutlinedIcon />}
            </IconButton>
          </Tooltip>
        </Toolbar>
      </AppBar>
      <Box sx={{ displayPrint: 'none' }}>
        <ConnectionBanner />
      </Box>
      <Container component="main" id="main" maxWidth="lg" sx={{ py: 4, flex: 1, '@media print': { p: 0, maxWidth: 'none' } }}>
        {children}
      </Container>
    </Box>
  );
}

import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ferry, stripTokenFromAddress } from './client';
import { App } from './shell/App';
import { queryClient } from './core/serverState';
import { AddressProvider } from './core/router';

stripTokenFromAddress();
// Connect (or bind the Electron bridge) before the first render.
ferry();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <AddressProvider>
        <App />
      </AddressProvider>
    </QueryClientProvider>
  </StrictMode>,
);

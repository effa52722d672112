import { useSyncExternalStore } from 'react';

/** A tiny hash router: #/export, #/import, … so the browser's back button and reloads work. */
export const ROUTES = ['home', 'export', 'import', 'ledger', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_TITLES: Record<Route, string> = {
  home: 'Home',
  export: 'Export',
  import: 'Import',
  ledger: 'Ledger',
  settings: 'Settings',
};

function parse(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'home';
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, () => parse(window.location.hash));
}

export function navigate(route: Route): void {
  const hash = route === 'home' ? '#/' : `#/${route}`;
  if (window.location.hash !== hash) window.location.hash = hash;
}

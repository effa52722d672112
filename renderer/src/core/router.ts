import { createContext, createElement, startTransition, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/**
 * A tiny hash router so the browser's back button and reloads work:
 * `#/<route>[/<part>/<part>…][?<query>]`, e.g. `#/export`, `#/ledger/bundle/sha256:…/form`,
 * `#/handoff?bundle=sha256:…`. The first part picks the page; the page reads the rest.
 */
export const ROUTES = ['home', 'export', 'import', 'handoff', 'ledger', 'settings'] as const;
export type Route = (typeof ROUTES)[number];

export const ROUTE_TITLES: Record<Route, string> = {
  home: 'Home',
  export: 'Export',
  import: 'Import',
  handoff: 'Handoff',
  ledger: 'Ledger',
  settings: 'Settings',
};

interface Location {
  route: Route;
  /** The parts after the route, decoded. */
  path: string[];
  query: string;
}

function split(hash: string): { parts: string[]; query: string } {
  const body = hash.replace(/^#\/?/, '');
  const at = body.indexOf('?');
  const pathPart = at === -1 ? body : body.slice(0, at);
  const query = at === -1 ? '' : body.slice(at + 1);
  const parts = pathPart
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  return { parts, query };
}

function parse(hash: string): Location {
  const { parts, query } = split(hash);
  const name = parts[0] ?? '';
  if (!(ROUTES as readonly string[]).includes(name)) return { route: 'home', path: [], query: '' };
  return { route: name as Route, path: parts.slice(1), query };
}

const AddressContext = createContext<string | null>(null);
/** replaceQuery's signal: history.replaceState fires no event of its own. */
const ADDRESS_REPLACED = 'ferry:address-replaced';
/** What changes the address: links and navigate() (hashchange), Back and Forward (popstate), replaceQuery. */
const ADDRESS_EVENTS = ['hashchange', 'popstate', ADDRESS_REPLACED] as const;

/**
 * Holds the address for every page below it. A new address is rendered as a transition: React builds
 * the next page in short slices between frames, and nothing re-renders in the click's own task, so no
 * single task holds the main thread for a whole page (an external store's update, read with
 * useSyncExternalStore, would be rendered in one go).
 */
export function AddressProvider({ children }: { children: ReactNode }) {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const follow = () => startTransition(() => setHash(window.location.hash));
    for (const name of ADDRESS_EVENTS) window.addEventListener(name, follow);
    follow();
    return () => {
      for (const name of ADDRESS_EVENTS) window.removeEventListener(name, follow);
    };
  }, []);
  return createElement(AddressContext.Provider, { value: hash }, children);
}

function useHash(): string {
  const hash = useContext(AddressContext);
  if (hash === null) throw new Error('The router is read outside AddressProvider');
  return hash;
}

export function useRoute(): Route {
  return parse(useHash()).route;
}

/** The parts of the address after the route: `#/ledger/bundle/sha256:…/form` → ['bundle', 'sha256:…', 'form']. */
export function useRoutePath(): string[] {
  const hash = useHash();
  return useMemo(() => parse(hash).path, [hash]);
}

/** The address's query (after `?`): `#/handoff?bundle=sha256:…`. */
export function useRouteQuery(): URLSearchParams {
  const hash = useHash();
  return useMemo(() => new URLSearchParams(parse(hash).query), [hash]);
}

/** A string that changes when the page changes (route and path, not the query): App focuses the heading on it. */
export function usePageKey(): string {
  const { route, path } = parse(useHash());
  return [route, ...path].join('/');
}

export function navigate(route: Route): void {
  navigateTo(route === 'home' ? '#/' : `#/${route}`);
}

/** Goes to an address inside the app, e.g. `#/ledger/bundle/sha256:…/form` (a leading `#` is optional). */
export function navigateTo(hash: string): void {
  const target = hash.startsWith('#') ? hash : `#${hash.startsWith('/') ? '' : '/'}${hash}`;
  if (window.location.hash !== target) window.location.hash = target;
}

/**
 * Rewrites the current address's query without a new history entry or a page change, so a reload
 * comes back to the same choice (e.g. the bundle picked on Handoff).
 */
export function replaceQuery(params: Record<string, string | undefined>): void {
  const { parts, query } = split(window.location.hash);
  const search = new URLSearchParams(query);
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') search.delete(key);
    else search.set(key, value);
  }
  const text = search.toString().replace(/%3A/gi, ':');
  const hash = `#/${parts.map(encodePart).join('/')}${text ? `?${text}` : ''}`;
  if (hash === window.location.hash) return;
  window.history.replaceState(window.history.state, '', hash);
  window.dispatchEvent(new Event(ADDRESS_REPLACED));
}

/** Keeps a digest's colon readable in the address; escapes anything else that would split it. */
function encodePart(part: string): string {
  return encodeURIComponent(part).replace(/%3A/gi, ':');
}

/** Addresses of the ledger's pages. */
export const hrefs = {
  ledger: (): string => '#/ledger',
  bundle: (digest: string, line?: number): string => `#/ledger/bundle/${encodePart(digest)}${line !== undefined ? `?line=${line}` : ''}`,
  transferForm: (digest: string): string => `#/ledger/bundle/${encodePart(digest)}/form`,
  receipt: (digest: string): string => `#/ledger/bundle/${encodePart(digest)}/receipt`,
  handoff: (digest?: string): string => (digest ? `#/handoff?bundle=${encodePart(digest)}` : '#/handoff'),
};

/** The document title for a page: "Chain of custody · Ferry". */
export function pageTitle(route: Route, path: readonly string[]): string {
  if (route === 'home') return 'Ferry';
  if (route === 'ledger' && path[0] === 'bundle' && path[1]) {
    const what = path[2] === 'form' ? 'Transfer form' : path[2] === 'receipt' ? 'Import receipt' : 'Chain of custody';
    return `${what} · Ferry`;
  }
  return `${ROUTE_TITLES[route]} · Ferry`;
}

import type { FerryClient } from '../../../shared/rpc.js';
import { createBridgeClient } from './bridgeClient';
import { createWsClient } from './wsClient';

export { FerryClientError, toErrorEnvelope } from './errors';
export { useConnection } from './connection';

/** The one way the renderer talks to the engine: Electron's bridge when present, else the browser host's WebSocket. */
export function createClient(): FerryClient {
  if (window.ferryBridge) return createBridgeClient(window.ferryBridge);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWsClient({ url: `${scheme}://${location.host}/rpc` });
}

let instance: FerryClient | null = null;

/** The app's client, made on first use. */
export function ferry(): FerryClient {
  instance ??= createClient();
  return instance;
}

/** Keeps the one-time ?token=… out of the address bar, bookmarks and screenshots (the host has set its cookie by now). */
export function stripTokenFromAddress(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

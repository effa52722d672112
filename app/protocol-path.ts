import path from 'node:path';
import { contentSecurityPolicy, rendererHeaders, resolveRendererPath } from '../main/host/static.js';

/**
 * Pure helpers for the app:// protocol (no electron import, so node:test covers them): which file a
 * request URL names and the headers every response carries, by the same rules as the browser host
 * (main/host/static.ts).
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'ferry';
/** The origin the UI is served from; the only sender the IPC channel trusts. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The UI's CSP in Electron: its own files only, no network at all (connect-src 'none'). */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** Headers on every app:// response, including errors. */
export function securityHeaders(): Record<string, string> {
  return rendererHeaders(CONTENT_SECURITY_POLICY);
}

type PathApi = Parameters<typeof resolveRendererPath>[2];

/**
 * The path (still percent-encoded) of an `app://ferry/…` URL, or null when the URL is not ours:
 * another scheme or host, a port, credentials, or not a URL at all.
 */
export function appUrlPath(requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '' || url.username !== '' || url.password !== '') return null;
  // The URL parser has already folded plain and %2e-encoded dot segments; decoding can reveal more
  // (%2f, %5c), which resolveRendererPath refuses.
  return url.pathname;
}

/**
 * The file under `root` that an `app://ferry/…` URL names, or null when the URL is not ours
 * (appUrlPath) or would leave `root` (resolveRendererPath). `pathApi` lets tests check Windows
 * path rules on any OS.
 */
export function resolveAppUrl(root: string, requestUrl: string, pathApi: PathApi = path): string | null {
  const urlPath = appUrlPath(requestUrl);
  return urlPath === null ? null : resolveRendererPath(root, urlPath, pathApi);
}

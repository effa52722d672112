import path from 'node:path';

/**
 * Pure helpers for the app:// protocol (no electron import, so node:test covers them): which file a
 * request URL names, its content type, and the headers every response carries.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'ferry';
/** The origin the UI is served from; the only sender the IPC channel trusts. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The UI's CSP in Electron: its own files only, no network at all (connect-src 'none'). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // MUI (emotion) injects <style> elements at runtime.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every app:// response, including errors. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

type PathApi = Pick<typeof path, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * The file under `root` that an `app://ferry/…` URL names, or null when the URL is not ours or
 * would leave `root`: another scheme or host, credentials, a malformed percent-escape, NUL, a
 * backslash, an absolute or drive-letter path, or `..` (plain or percent-encoded) climbing out.
 * `app://ferry/` names index.html. `pathApi` lets tests check Windows path rules on any OS.
 */
export function resolveAppUrl(root: string, requestUrl: string, pathApi: PathApi = path): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '' || url.username !== '' || url.password !== '') {
    return null;
  }

  // The URL parser already folds plain and %2e-encoded dot segments; decoding can reveal more
  // (%2f, %5c), so the decoded path is checked again below.
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (!decoded.startsWith('/')) return null;

  let relative = decoded.slice(1);
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  // After the one leading slash, anything absolute (`//etc`, `/C:/x`, `C:x`) is refused outright.
  if (relative.startsWith('/') || pathApi.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) return null;
  if (relative.split('/').some((segment) => segment === '..')) return null;

  const resolved = pathApi.resolve(root, relative);
  return isInsideRoot(root, resolved, pathApi) ? resolved : null;
}

/** Whether `file` lies strictly inside `root` (the root itself does not count). */
export function isInsideRoot(root: string, file: string, pathApi: PathApi = path): boolean {
  const rel = pathApi.relative(pathApi.resolve(root), pathApi.resolve(file));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${pathApi.sep}`) && !pathApi.isAbsolute(rel);
}

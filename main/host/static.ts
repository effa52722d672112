import fsp from 'node:fs/promises';
import path from 'node:path';

/**
 * The one way Ferry serves the built renderer, used by both faces: the browser host (server.ts)
 * and the Electron app:// protocol (app/protocol.ts). Which file a request path names, its content
 * type, and the headers (with the CSP) every response carries.
 */

const CONTENT_TYPES: Readonly<Record<string, string>> = {
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
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The renderer's CSP: its own files only. `connect` lists where it may connect; the app:// face
 * passes none (no network at all), the browser host its own WebSocket.
 */
export function contentSecurityPolicy(connect: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // MUI (emotion) injects <style> elements at runtime.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.length > 0 ? connect.join(' ') : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every response of either face, errors included. */
export function rendererHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

type PathApi = Pick<typeof path, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/** Whether `file` lies strictly inside `root` (the root itself does not count). */
export function isInsideRoot(root: string, file: string, pathApi: PathApi = path): boolean {
  const rel = pathApi.relative(pathApi.resolve(root), pathApi.resolve(file));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${pathApi.sep}`) && !pathApi.isAbsolute(rel);
}

/**
 * The file under `root` that a URL path (`/assets/a.js`, still percent-encoded) names, or null when
 * it would leave `root`: a malformed percent-escape, NUL, a backslash, an absolute or drive-letter
 * path, or `..` (plain or percent-encoded). `/` and any path ending in `/` name that folder's
 * index.html. `pathApi` lets tests check Windows path rules on any OS. Links are checked on reading.
 */
export function resolveRendererPath(root: string, urlPath: string, pathApi: PathApi = path): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  let relative = decoded.slice(1);
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  // After the one leading slash, anything absolute (`//etc`, `/C:/x`, `C:x`) is refused outright.
  if (relative.startsWith('/') || pathApi.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) return null;
  if (relative.split('/').some((segment) => segment === '..')) return null;
  const resolved = pathApi.resolve(root, relative);
  return isInsideRoot(root, resolved, pathApi) ? resolved : null;
}

/**
 * Reads the renderer file a URL path names, with its content type; null when there is none: the
 * path is refused (see resolveRendererPath), is not a regular file, or is a link leading out of `root`.
 */
export async function readRendererFile(root: string, urlPath: string): Promise<{ file: string; body: Buffer; type: string } | null> {
  const file = resolveRendererPath(root, urlPath);
  if (!file) return null;
  try {
    const [realRoot, realFile] = await Promise.all([fsp.realpath(root), fsp.realpath(file)]);
    if (!isInsideRoot(realRoot, realFile)) return null;
    if (!(await fsp.stat(realFile)).isFile()) return null;
    return { file, body: await fsp.readFile(realFile), type: contentTypeFor(file) };
  } catch {
    return null;
  }
}

import { protocol } from 'electron';
import { readRendererFile } from '../main/host/static.js';
import { APP_SCHEME, appUrlPath, securityHeaders } from './protocol-path.js';

/**
 * The app:// protocol that serves the built renderer. Registered as privileged (standard, secure,
 * fetch) so the UI gets a real origin (app://ferry) instead of file://, which would give every page
 * the whole disk.
 */

/** Must run before the app's ready event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** Call on ready. `root` is the folder holding the built renderer (index.html and assets/). */
export function serveAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const urlPath = appUrlPath(request.url);
    const found = urlPath === null ? null : await readRendererFile(root, urlPath);
    if (found === null) {
      console.warn(`[ferry] app:// refused or not found: ${request.url.slice(0, 200)}`);
      return plain(404, 'not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(found.body), {
      status: 200,
      headers: { ...securityHeaders(), 'Content-Type': found.type, 'Content-Length': String(found.body.length) },
    });
  });
}

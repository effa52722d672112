import { APP_ORIGIN } from './protocol-path.js';

/**
 * Whether an IPC message may reach the dispatcher: it must come from the main frame of Ferry's
 * window, showing a page of Ferry's own origin. The prefix `app://ferry/` pins the scheme, the host
 * (the slash rules out `app://ferry.evil`, ports and credentials) and Chromium's canonical form.
 * Subframes, other origins (a page navigated elsewhere, about:blank, file:, devtools:, blob:) and
 * senders without a URL are refused. Pure, so node:test covers it; app/ipc.ts supplies the frame's
 * URL and whether it is the main frame of Ferry's window.
 */
export function isTrustedSender(url: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && typeof url === 'string' && url.startsWith(`${APP_ORIGIN}/`);
}

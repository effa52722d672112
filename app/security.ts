import { app, type Session, type WebContents } from 'electron';
import { APP_ORIGIN } from './protocol-path.js';

/**
 * The shell's navigation and permission lockdown. The UI is one page served from app://ferry/; it
 * never needs to go anywhere else, open windows, embed webviews or use device permissions, and the
 * machine is air-gapped, so links are not handed to the OS browser either: all of it is refused.
 */

function isAppUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}

function refused(what: string, url: string): void {
  console.warn(`[ferry] refused ${what}: ${url.slice(0, 200)}`);
}

/** Applied to every webContents as it is created (windows, and anything else Chromium makes). */
export function lockDownWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      refused('navigation', event.url);
    }
  });
  // Subframes too (there should be none: the CSP's default-src 'none' forbids frames).
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isAppUrl(event.url)) {
      event.preventDefault();
      refused('frame navigation', event.url);
    }
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) {
      event.preventDefault();
      refused('redirect', event.url);
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    refused('window.open', url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event, _webPreferences, params) => {
    event.preventDefault();
    refused('webview', params.src ?? '(no src)');
  });
}

/**
 * No permission is ever granted: camera, notifications, clipboard, HID, serial, USB, … Screen
 * capture stays denied because no display-media handler is installed. Call on ready, for every
 * session the app uses (only the default session today).
 */
export function lockDownSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    refused('permission request', permission);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}

/** Call once, before the app is ready and before any window exists. */
export function installSecurityPolicy(): void {
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
}

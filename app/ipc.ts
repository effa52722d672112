import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_CHANNELS } from '../shared/bridge.js';
import type { Envelope } from '../shared/rpc.js';
import type { EngineHost } from './engine-host.js';
import { isTrustedSender } from './sender-check.js';

/**
 * The one IPC channel into main/rpc. Every call is checked here, in the main process, before it is
 * relayed to the engine's utility process (app/engine-host.ts): the sender must be the main frame of
 * Ferry's window showing app://ferry/, and the payload must be `{method: string, params}`. The
 * dispatcher there then validates params against shared/rpc.ts.
 */

const MAX_METHOD_LENGTH = 100;

function usage(message: string): Envelope<never> {
  return { ok: false, error: { code: 'USAGE', message } };
}

function senderIsTrusted(event: IpcMainInvokeEvent, win: BrowserWindow | null): boolean {
  try {
    const frame = event.senderFrame;
    if (frame === null || win === null || win.isDestroyed()) return false;
    const main = win.webContents.mainFrame;
    const isMainFrame =
      event.sender.id === win.webContents.id && frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId;
    return isTrustedSender(frame.url, isMainFrame);
  } catch {
    // A frame that navigated away or was destroyed mid-call throws on access: not trusted.
    return false;
  }
}

function describeSender(event: IpcMainInvokeEvent): string {
  try {
    return `${event.senderFrame?.url ?? '(no frame)'} (webContents ${event.sender.id})`.slice(0, 200);
  } catch {
    return '(unknown sender)';
  }
}

export interface IpcBinding {
  /** Removes the handler and the event subscription. */
  dispose(): void;
}

/** Binds the engine to IPC_CHANNELS.rpc and forwards its events (job.updated, ledger.appended) to the window. */
export function bindIpc(engine: EngineHost, getWindow: () => BrowserWindow | null): IpcBinding {
  ipcMain.handle(IPC_CHANNELS.rpc, async (event, payload: unknown): Promise<Envelope<unknown>> => {
    if (!senderIsTrusted(event, getWindow())) {
      // Logged without the payload: it may carry paths or key material.
      console.warn(`[ferry] IPC refused: untrusted sender ${describeSender(event)}`);
      return usage('refused: untrusted sender');
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return usage('malformed request: expected {method, params}');
    }
    const { method, params } = payload as { method?: unknown; params?: unknown };
    if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
      return usage('malformed request: method must be a non-empty string');
    }
    try {
      return await engine.handle(method, params);
    } catch (error) {
      // The engine answers envelopes; a throw is a bug there, reported without internals.
      console.error(`[ferry] the engine threw on ${method}:`, error);
      return { ok: false, error: { code: 'INTERNAL', message: `internal error in ${method}` } };
    }
  });

  const unsubscribe = engine.onEvent((rpcEvent) => {
    const win = getWindow();
    if (win === null || win.isDestroyed() || win.webContents.isDestroyed()) return;
    // Events go only to Ferry's own page, never to whatever else the window might show.
    if (!isTrustedSender(win.webContents.getURL(), true)) return;
    win.webContents.send(IPC_CHANNELS.event, rpcEvent);
  });

  return {
    dispose() {
      unsubscribe();
      ipcMain.removeHandler(IPC_CHANNELS.rpc);
    },
  };
}

import type { MessagePortMain } from 'electron';
import type { Envelope } from '../shared/rpc.js';
import type { FramePort, Timeouts } from './port-protocol.js';

/**
 * What Electron's main process and the engine's utility process ask each other over their one
 * MessagePort (app/port-protocol.ts carries it). The engine (main/rpc's dispatcher, SQLite,
 * planning, the job runner) lives in the utility process so none of it blocks the main process; the
 * main process keeps what only it can do: the window's native dialogs, printToPDF, safeStorage.
 */

/** The name the utility process shows in app.getAppMetrics() and in child-process-gone events. */
export const ENGINE_SERVICE_NAME = 'Ferry engine';

/** Served by the engine process, asked by the main process. */
export type EngineRequests = {
  /** Opens the dispatcher on FERRY_HOME; secretBackend is safeStorage's, null when it cannot encrypt. */
  open: { params: { home: string; secretBackend: 'os' | 'basic_text' | null }; result: null };
  /** One renderer call, already sender-checked by the main process; the dispatcher validates its params. */
  rpc: { params: { method: string; params: unknown }; result: Envelope<unknown> };
  /** Jobs persist their state and the ledger closes; the main process then ends the utility process. */
  close: { params: null; result: null };
};

/** Served by the main process, asked by the engine process. Sealed secrets cross as base64. */
export type ShellRequests = {
  pickFolder: { params: { title: string }; result: string | null };
  pickFiles: { params: { title: string }; result: string[] };
  printToPdf: { params: { suggestedName: string }; result: string | null };
  encrypt: { params: { text: string }; result: string };
  decrypt: { params: { sealed: string }; result: string };
};

// No limit where a person decides (a dialog left open) or where the method's own work does (an RPC
// call: long work runs as jobs, and a dead engine fails every pending call when its port closes).
export const ENGINE_TIMEOUTS: Timeouts<EngineRequests> = { open: 60_000, rpc: 0, close: 30_000 };
export const SHELL_TIMEOUTS: Timeouts<ShellRequests> = { pickFolder: 0, pickFiles: 0, printToPdf: 0, encrypt: 10_000, decrypt: 10_000 };

/** Electron's MessagePortMain as the protocol's port (messages arrive as MessageEvents; the port must be started). */
export function electronFramePort(port: MessagePortMain): FramePort {
  return {
    post: (frame) => port.postMessage(frame),
    onMessage: (listener) => {
      port.on('message', (event) => listener(event.data));
      port.start();
    },
    onClose: (listener) => port.once('close', listener),
    close: () => port.close(),
  };
}

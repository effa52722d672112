import type { Dispatcher } from '../main/rpc/dispatcher.js';
import type { SecretBox } from '../main/registry/credential-store.js';
import type { RpcEvent } from '../shared/rpc.js';
import { FerryError, toEnvelope } from '../main/util/errors.js';
import { ENGINE_TIMEOUTS, type EngineRequests, type ShellRequests } from './engine-protocol.js';
import { createPeer, type FramePort } from './port-protocol.js';

/**
 * The main process's side of the port to the engine (app/engine-service.ts on the other end): it
 * serves the engine's requests for what only the main process can do, and presents the engine to
 * app/ipc.ts as the dispatcher it relays the renderer's calls to. Plain Node, so node:test drives it
 * over worker_threads' MessageChannel; app/engine-host.ts gives it the utility process's port.
 */

/** What only the main process can do, for the engine. */
export interface ShellServices {
  /** The native dialogs: their answers are the only paths the engine grants in the desktop app. */
  pickFolder(title: string): Promise<string | null>;
  pickFiles(title: string): Promise<string[]>;
  printToPdf(suggestedName: string): Promise<string | null>;
  /** safeStorage; null when it cannot encrypt (credentials then stay in memory). */
  secretBox: SecretBox | null;
}

export interface EngineLink extends Pick<Dispatcher, 'handle' | 'onEvent'> {
  /** Opens the dispatcher on FERRY_HOME in the engine; rejects with the engine's own error when it cannot. */
  open(home: string): Promise<void>;
  /** Closes the engine (jobs persist their state, the ledger closes), then the port. */
  close(): Promise<void>;
  /** The engine is gone: every pending and later call fails with `reason`. */
  fail(reason: string): void;
}

/** Dialog titles and the PDF's suggested name, as the engine sent them, cut to a sane length. */
function shortText(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 200) : 'Ferry';
}

function secretBoxOrRefuse(box: SecretBox | null): SecretBox {
  if (!box) throw new FerryError('INTERNAL', 'The engine asked for safeStorage, which is unavailable here.');
  return box;
}

export function linkToEngine(port: FramePort, services: ShellServices): EngineLink {
  const listeners = new Set<(event: RpcEvent) => void>();
  const peer = createPeer<ShellRequests, EngineRequests>(port, {
    serves: {
      pickFolder: ({ title }) => services.pickFolder(shortText(title)),
      pickFiles: ({ title }) => services.pickFiles(shortText(title)),
      printToPdf: ({ suggestedName }) => services.printToPdf(shortText(suggestedName)),
      encrypt: async ({ text }) => (await secretBoxOrRefuse(services.secretBox).encrypt(String(text))).toString('base64'),
      decrypt: async ({ sealed }) => secretBoxOrRefuse(services.secretBox).decrypt(Buffer.from(String(sealed), 'base64')),
    },
    timeouts: ENGINE_TIMEOUTS,
    onEvent: (data) => {
      for (const listener of listeners) listener(data as RpcEvent);
    },
    onMalformed: (reason) => console.warn(`[ferry] dropped a message from the engine that is not the port protocol's: ${reason}`),
  });

  return {
    async open(home) {
      await peer.request('open', { home, secretBackend: services.secretBox?.backend ?? null });
    },
    async handle(method, params) {
      try {
        return await peer.request('rpc', { method, params });
      } catch (error) {
        return { ok: false, error: toEnvelope(error) };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      try {
        await peer.request('close', null);
      } finally {
        peer.close('Ferry is closing.');
      }
    },
    fail: (reason) => peer.close(reason),
  };
}

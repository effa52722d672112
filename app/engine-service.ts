import type { Dispatcher } from '../main/rpc/dispatcher.js';
import type { SecretBox } from '../main/registry/credential-store.js';
import { FerryError } from '../main/util/errors.js';
import { SHELL_TIMEOUTS, type EngineRequests, type ShellRequests } from './engine-protocol.js';
import { createPeer, type FramePort, type Peer } from './port-protocol.js';

/**
 * The engine's side of the port: opens main/rpc's dispatcher (SQLite, planning, the job runner) in
 * this process and serves the main process's requests to it. What only the main process can do (the
 * native dialogs, printToPDF, safeStorage) it asks back over the same port, so a folder the user
 * picks in the main process's dialog comes back here as the answer to dialog.pickFolder and is
 * granted by the dispatcher's own PathGrants ('granted' mode), as before. Plain Node:
 * app/engine-process.ts hands it Electron's port; app/engine-link.test.ts a worker_threads one.
 */

function secretBoxOver(peer: Peer<ShellRequests>, backend: 'os' | 'basic_text'): SecretBox {
  return {
    backend,
    encrypt: async (text) => Buffer.from(await peer.request('encrypt', { text }), 'base64'),
    decrypt: async (data) => peer.request('decrypt', { sealed: data.toString('base64') }),
  };
}

export function serveEngine(port: FramePort): void {
  let dispatcher: Dispatcher | null = null;
  const peer: Peer<ShellRequests> = createPeer<EngineRequests, ShellRequests>(port, {
    serves: {
      async open({ home, secretBackend }) {
        if (dispatcher) throw new FerryError('USAGE', 'The engine is already open.');
        // Loaded here, not at the top: a failure to load the engine (better-sqlite3 built for another
        // ABI) then answers this request, and the main process shows it with its remedy.
        const { createDispatcher } = await import('../main/rpc/dispatcher.js');
        dispatcher = await createDispatcher({
          transport: 'electron',
          home,
          pickFolder: (title) => peer.request('pickFolder', { title }),
          pickFiles: (title) => peer.request('pickFiles', { title }),
          printToPdf: (suggestedName) => peer.request('printToPdf', { suggestedName }),
          ...(secretBackend ? { secretBox: secretBoxOver(peer, secretBackend) } : {}),
        });
        // job.updated and ledger.appended (the dispatcher's ledger watch runs while this listens) cross as events.
        dispatcher.onEvent((event) => peer.emit(event));
        return null;
      },
      async rpc({ method, params }) {
        if (!dispatcher) throw new FerryError('INTERNAL', 'The engine is not open yet. Wait a moment and try again.');
        return dispatcher.handle(method, params);
      },
      async close() {
        const open = dispatcher;
        dispatcher = null;
        await open?.close();
        return null;
      },
    },
    timeouts: SHELL_TIMEOUTS,
    onMalformed: (reason) => console.warn(`[ferry engine] dropped a message that is not the port protocol's: ${reason}`),
  });
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannelMain, utilityProcess } from 'electron';
import { electronFramePort, ENGINE_SERVICE_NAME } from './engine-protocol.js';
import { linkToEngine, type EngineLink, type ShellServices } from './engine-link.js';

/**
 * Starts the engine: forks app/engine-process.js as a utility process, hands it one end of a
 * MessageChannelMain and links the other (app/engine-link.ts). SQLite, planning and the job runner
 * then run there, and never block the main process's window, dialogs or IPC.
 */

const ENGINE_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine-process.js');

export type EngineHost = Pick<EngineLink, 'handle' | 'onEvent' | 'close'>;

/** Resolves once the dispatcher is open in the engine; rejects (with the engine's own error) when it cannot open. */
export async function startEngine(home: string, services: ShellServices, onUnexpectedExit: (code: number) => void): Promise<EngineHost> {
  const child = utilityProcess.fork(ENGINE_ENTRY, [], { serviceName: ENGINE_SERVICE_NAME, stdio: 'inherit' });
  const { port1, port2 } = new MessageChannelMain();
  const link = linkToEngine(electronFramePort(port1), services);

  // Only an exit while open is unexpected: one while opening rejects the open request with the reason.
  let state: 'opening' | 'open' | 'closing' = 'opening';
  child.once('exit', (code) => {
    link.fail(`The engine process exited (code ${code}). Start Ferry again; a job that was running shows as interrupted, ready to resume.`);
    if (state === 'open') onUnexpectedExit(code);
  });
  child.postMessage({ port: 'engine' }, [port2]);

  try {
    await link.open(home);
  } catch (error) {
    state = 'closing';
    child.kill();
    throw error;
  }
  state = 'open';

  return {
    handle: (method, params) => link.handle(method, params),
    onEvent: (listener) => link.onEvent(listener),
    async close() {
      state = 'closing';
      try {
        await link.close();
      } finally {
        child.kill();
      }
    },
  };
}

import { electronFramePort } from './engine-protocol.js';
import { serveEngine } from './engine-service.js';

/**
 * The entry of the engine's utility process (utilityProcess.fork in app/engine-host.ts). It needs
 * nothing of 'electron' at run time: process.parentPort is its link to the main process, which first
 * sends the MessagePort the two then talk over (app/engine-service.ts serves it).
 */
process.parentPort.once('message', (event) => {
  const port = event.ports[0];
  if (!port) {
    console.error('[ferry engine] the main process sent no MessagePort; exiting.');
    process.exit(1);
  }
  serveEngine(electronFramePort(port));
});

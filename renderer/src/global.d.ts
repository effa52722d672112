import type { FerryBridge } from '../../shared/bridge.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in the browser host. */
    ferryBridge?: FerryBridge;
  }
}

export {};

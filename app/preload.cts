/**
 * The preload of Ferry's window (CommonJS: sandboxed preloads cannot be ES modules, and may require
 * only 'electron' and a few builtins, so shared/bridge.js is used for types alone and the channel
 * names are inlined; app/preload-channels.test.ts checks they still equal IPC_CHANNELS).
 *
 * It exposes exactly `window.ferryBridge` (FerryBridge): one invoke, one event feed. The renderer
 * never sees ipcRenderer or an IpcRendererEvent.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { FerryBridge } from '../shared/bridge.js';
import type { Envelope, RpcEvent } from '../shared/rpc.js';

const RPC_CHANNEL = 'ferry:rpc';
const EVENT_CHANNEL = 'ferry:event';

const bridge: FerryBridge = {
  invoke(method: string, params: unknown): Promise<Envelope<unknown>> {
    if (typeof method !== 'string') return Promise.reject(new TypeError('ferryBridge.invoke: method must be a string'));
    return ipcRenderer.invoke(RPC_CHANNEL, { method, params }) as Promise<Envelope<unknown>>;
  },
  onEvent(handler: (event: RpcEvent) => void): () => void {
    if (typeof handler !== 'function') throw new TypeError('ferryBridge.onEvent: handler must be a function');
    const listener = (_event: IpcRendererEvent, payload: RpcEvent): void => handler(payload);
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  },
};

contextBridge.exposeInMainWorld('ferryBridge', bridge);

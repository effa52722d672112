import type { Envelope, RpcEvent } from './rpc.js';

/** What Electron's preload exposes as `window.ferryBridge` (contextBridge): one invoke, one event feed. */
export interface FerryBridge {
  invoke(method: string, params: unknown): Promise<Envelope<unknown>>;
  onEvent(handler: (event: RpcEvent) => void): () => void;
}

export const IPC_CHANNELS = { rpc: 'ferry:rpc', event: 'ferry:event' } as const;

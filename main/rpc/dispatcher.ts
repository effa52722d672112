import type { Envelope, RpcEvent } from '../../shared/rpc.js';

export interface DispatcherOptions {
  /** FERRY_HOME; defaults to ferryHome(). */
  home?: string;
  transport: 'electron' | 'browser';
  /** Electron only: a native folder dialog opened by the main side. */
  pickFolder?: (title: string) => Promise<string | null>;
}

/** The one dispatcher both transports bind: validates every request against shared/rpc.ts, answers an envelope. */
export interface Dispatcher {
  handle(method: string, params: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: RpcEvent) => void): () => void;
  close(): Promise<void>;
}

export async function createDispatcher(_opts: DispatcherOptions): Promise<Dispatcher> {
  throw new Error('not implemented yet');
}

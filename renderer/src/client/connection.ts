import { create } from 'zustand';

export type ConnectionStatus = 'connecting' | 'open' | 'down';

interface ConnectionState {
  transport: 'electron' | 'browser';
  status: ConnectionStatus;
  /** Seconds until the next reconnect attempt, when down. */
  retryInSeconds: number | null;
  /** Bumped on every (re)connection, so screens can reload what they show. */
  generation: number;
  retryNow: () => void;
}

/** The transport's health, for the "Lost connection" banner. The client writes it; screens read it. */
export const useConnection = create<ConnectionState>(() => ({
  transport: 'browser',
  status: 'connecting',
  retryInSeconds: null,
  generation: 0,
  retryNow: () => undefined,
}));

import type { ErrorEnvelope } from '../../../shared/errors.js';
import type { EventData, EventName, FerryClient, MethodName, Params, Result } from '../../../shared/rpc.js';
import { useConnection } from './connection';
import { FerryClientError, isEnvelope } from './errors';

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Queued extends Pending {
  params: unknown;
}

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];

const lostMessage = (method: string) =>
  `Lost connection to the Ferry host before it answered (${method}). Work the host had started keeps running: check Home once the connection is back.`;
const downMessage = 'Lost connection to the Ferry host. Wait until it reconnects (see the banner at the top), then try again.';

export interface WsClientOptions {
  url: string;
}

/**
 * The browser host: one WebSocket to /rpc, authenticated by the HttpOnly cookie the host set when
 * the page was loaded, so no token is sent. Requests {id, method, params}; responses
 * {id, ok, result|error}; events {event, data}. Reconnects with backoff; pending calls fail clearly.
 */
export function createWsClient({ url }: WsClientOptions): FerryClient {
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let everOpened = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let countdownTimer: ReturnType<typeof setInterval> | null = null;
  const pending = new Map<number, Pending>();
  const queued: Queued[] = [];
  const listeners = new Map<string, Set<(data: unknown) => void>>();

  useConnection.setState({ transport: 'browser', status: 'connecting', retryNow });

  function setStatus(status: 'connecting' | 'open' | 'down', retryInSeconds: number | null = null) {
    useConnection.setState((s) => ({
      status,
      retryInSeconds,
      generation: status === 'open' ? s.generation + 1 : s.generation,
    }));
  }

  function send(id: number, method: string, params: unknown, entry: Pending) {
    pending.set(id, entry);
    try {
      socket!.send(JSON.stringify({ id, method, params }));
    } catch (err) {
      pending.delete(id);
      entry.reject(new FerryClientError('IO', `${downMessage} (${err instanceof Error ? err.message : String(err)})`));
    }
  }

  function clearTimers() {
    if (retryTimer) clearTimeout(retryTimer);
    if (countdownTimer) clearInterval(countdownTimer);
    retryTimer = null;
    countdownTimer = null;
  }

  function connect() {
    clearTimers();
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      everOpened = true;
      setStatus('open');
      for (const q of queued.splice(0)) send(nextId++, q.method, q.params, q);
    };
    ws.onmessage = (message) => {
      let data: unknown;
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (typeof data !== 'object' || data === null) return;
      const record = data as Record<string, unknown>;
      if (typeof record.id === 'number') {
        const entry = pending.get(record.id);
        if (!entry) return;
        pending.delete(record.id);
        if (record.ok === true) entry.resolve(record.result);
        else if (isEnvelope(record.error)) entry.reject(FerryClientError.from(record.error as ErrorEnvelope));
        else entry.reject(new FerryClientError('INTERNAL', `The Ferry host gave a malformed answer to ${entry.method}.`));
        return;
      }
      if (typeof record.event === 'string') {
        for (const handler of listeners.get(record.event) ?? []) {
          try {
            handler(record.data);
          } catch (err) {
            console.warn('A Ferry event handler failed', err);
          }
        }
      }
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, entry] of pending) {
        pending.delete(id);
        entry.reject(new FerryClientError('IO', lostMessage(entry.method)));
      }
      // Calls made before the first connection wait for it; after that, they fail while down.
      if (everOpened || attempt > 0) {
        for (const q of queued.splice(0)) q.reject(new FerryClientError('IO', downMessage));
      }
      scheduleReconnect();
    };
    // Errors always end in close; the close handler does the work.
    ws.onerror = () => undefined;
  }

  function scheduleReconnect() {
    const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
    attempt++;
    let remaining = Math.ceil(delay / 1000);
    setStatus('down', remaining);
    countdownTimer = setInterval(() => {
      remaining = Math.max(0, remaining - 1);
      useConnection.setState({ retryInSeconds: remaining });
    }, 1000);
    retryTimer = setTimeout(() => {
      clearTimers();
      useConnection.setState({ retryInSeconds: 0 });
      connect();
    }, delay);
  }

  function retryNow() {
    if (socket && (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)) return;
    connect();
  }

  connect();

  return {
    call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      return new Promise<Result<M>>((resolve, reject) => {
        const entry: Pending = { method, resolve: resolve as (v: unknown) => void, reject };
        if (socket && socket.readyState === WebSocket.OPEN) {
          send(nextId++, method, params, entry);
        } else if (!everOpened && attempt === 0) {
          queued.push({ ...entry, params });
        } else {
          reject(new FerryClientError('IO', downMessage));
        }
      });
    },
    on<E extends EventName>(event: E, handler: (data: EventData<E>) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const wrapped = handler as (data: unknown) => void;
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },
  };
}

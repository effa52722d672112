import type { MessagePort } from 'node:worker_threads';
import { ErrorEnvelope } from '../shared/errors.js';
import { FerryError, toEnvelope } from '../main/util/errors.js';

/**
 * A small request/answer protocol over one message port, used between Electron's main process and
 * the engine's utility process (app/engine-protocol.ts names the requests each side serves). Plain
 * Node: it needs only something that posts and receives structured-clone messages, so node:test
 * drives it over worker_threads' MessageChannel.
 *
 * Frames: `request {id, method, params}` → `answer {id, ok, result | error}`; `event {data}` needs no
 * answer. Every failure crosses as a FerryError envelope and is thrown again as a FerryError on the
 * asking side: an unknown method (USAGE), a handler that threw, a timeout, a closed port (INTERNAL).
 */

/** The requests one side serves: method name → its params and result. */
export type RequestTable = Record<string, { params: unknown; result: unknown }>;

export type Handlers<T extends RequestTable> = { [M in keyof T]: (params: T[M]['params']) => Promise<T[M]['result']> };

/** Milliseconds a request may wait for its answer; 0 waits until the port closes (a person decides, or the method's own work). */
export type Timeouts<T extends RequestTable> = { [M in keyof T]: number };

export type Frame =
  | { kind: 'request'; id: number; method: string; params: unknown }
  | { kind: 'answer'; id: number; ok: true; result: unknown }
  | { kind: 'answer'; id: number; ok: false; error: ErrorEnvelope }
  | { kind: 'event'; data: unknown };

/** What the protocol needs of a port: Electron's MessagePortMain and Node's MessagePort both adapt to it. */
export interface FramePort {
  post(frame: Frame): void;
  /** Calls back with each message as received; the protocol checks its shape. */
  onMessage(listener: (message: unknown) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

/** Node's MessagePort (worker_threads) as the protocol's port: what the tests drive both ends over. */
export function nodeFramePort(port: MessagePort): FramePort {
  return {
    post: (frame) => port.postMessage(frame),
    onMessage: (listener) => port.on('message', listener),
    onClose: (listener) => port.once('close', listener),
    close: () => port.close(),
  };
}

export interface PeerOptions<Serves extends RequestTable, Asks extends RequestTable> {
  serves: Handlers<Serves>;
  timeouts: Timeouts<Asks>;
  onEvent?: (data: unknown) => void;
  /** Told about frames that are not the protocol's (they are dropped). */
  onMalformed?: (reason: string) => void;
}

export interface Peer<Asks extends RequestTable> {
  request<M extends keyof Asks & string>(method: M, params: Asks[M]['params']): Promise<Asks[M]['result']>;
  emit(data: unknown): void;
  /** Fails every pending request with `reason` and closes the port; later requests fail at once. */
  close(reason: string): void;
  readonly closed: boolean;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: FerryError): void;
  timer: NodeJS.Timeout | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The frame in `message`, or a sentence saying why it is not one. */
export function parseFrame(message: unknown): Frame | string {
  if (!isObject(message)) return 'not an object';
  const { kind, id } = message;
  if (kind === 'event') return { kind, data: message.data };
  if (!Number.isSafeInteger(id) || (id as number) < 1) return `${String(kind)} frame without a positive integer id`;
  if (kind === 'request') {
    if (typeof message.method !== 'string' || message.method.length === 0) return `request ${String(id)} without a method`;
    return { kind, id: id as number, method: message.method, params: message.params };
  }
  if (kind === 'answer') {
    if (message.ok === true) return { kind, id: id as number, ok: true, result: message.result };
    const error = message.ok === false ? ErrorEnvelope.safeParse(message.error) : null;
    if (error?.success) return { kind, id: id as number, ok: false, error: error.data };
    return `answer ${String(id)} is neither a result nor an error envelope`;
  }
  return `unknown frame kind ${String(kind).slice(0, 40)}`;
}

function errorFrom(envelope: ErrorEnvelope): FerryError {
  return new FerryError(envelope.code, envelope.message, envelope.details ?? {});
}

/** One end of the protocol: serves `Serves` to the other end and asks it for `Asks`. */
export function createPeer<Serves extends RequestTable, Asks extends RequestTable>(port: FramePort, opts: PeerOptions<Serves, Asks>): Peer<Asks> {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closedReason: string | null = null;

  const settle = (id: number): Pending | undefined => {
    const entry = pending.get(id);
    if (!entry) return undefined;
    pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    return entry;
  };

  const answer = (id: number, outcome: { ok: true; result: unknown } | { ok: false; error: ErrorEnvelope }): void => {
    if (closedReason !== null) return;
    try {
      port.post({ kind: 'answer', id, ...outcome });
    } catch (error) {
      // A result that cannot be cloned (a function, a class instance with internals) is a bug on this side: say so instead of hanging the asker.
      port.post({ kind: 'answer', id, ok: false, error: toEnvelope(error) });
    }
  };

  const serve = async (frame: Extract<Frame, { kind: 'request' }>): Promise<void> => {
    const handler = Object.prototype.hasOwnProperty.call(opts.serves, frame.method) ? opts.serves[frame.method as keyof Serves] : undefined;
    if (!handler) {
      answer(frame.id, { ok: false, error: { code: 'USAGE', message: `Unknown request ${frame.method.slice(0, 80)} on the engine port.`, details: {} } });
      return;
    }
    try {
      answer(frame.id, { ok: true, result: await handler(frame.params as Serves[keyof Serves]['params']) });
    } catch (error) {
      answer(frame.id, { ok: false, error: toEnvelope(error) });
    }
  };

  port.onMessage((message) => {
    const frame = parseFrame(message);
    if (typeof frame === 'string') {
      opts.onMalformed?.(frame);
      return;
    }
    if (frame.kind === 'request') void serve(frame);
    else if (frame.kind === 'event') opts.onEvent?.(frame.data);
    else {
      const entry = settle(frame.id);
      if (!entry) return; // answered after its timeout: nobody waits any more
      if (frame.ok) entry.resolve(frame.result);
      else entry.reject(errorFrom(frame.error));
    }
  });

  const close = (reason: string): void => {
    if (closedReason !== null) return;
    closedReason = reason;
    for (const id of [...pending.keys()]) settle(id)?.reject(new FerryError('INTERNAL', reason));
    port.close();
  };
  port.onClose(() => close('The engine port closed.'));

  return {
    request(method, params) {
      if (closedReason !== null) return Promise.reject(new FerryError('INTERNAL', closedReason, { request: method }));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const limit = opts.timeouts[method];
        const timer =
          limit > 0
            ? setTimeout(() => {
                settle(id)?.reject(
                  new FerryError('INTERNAL', `${method} got no answer within ${limit} ms. Restart Ferry if this keeps happening.`, { request: method }),
                );
              }, limit)
            : undefined;
        pending.set(id, { resolve: resolve as (result: unknown) => void, reject, timer });
        try {
          port.post({ kind: 'request', id, method, params });
        } catch (error) {
          settle(id);
          reject(errorFrom(toEnvelope(error)));
        }
      });
    },
    emit(data) {
      if (closedReason === null) port.post({ kind: 'event', data });
    },
    close,
    get closed() {
      return closedReason !== null;
    },
  };
}

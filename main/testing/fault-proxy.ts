/**
 * An HTTP reverse proxy in front of a test registry that can inject faults: canned error statuses,
 * connections reset before the response or part-way through a request body, and slow uploads.
 * It keeps the client's Host header, so the registry's absolute Location URLs point back at the proxy.
 * Bodies are streamed with backpressure, never buffered whole.
 */
import http from 'node:http';
import type { Socket } from 'node:net';

export type FaultAction =
  /** Answer without contacting the registry (after reading the request body). Body default: an UNAVAILABLE error. */
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  /** The registry gets and handles the whole request; the client's connection is reset instead of answered. */
  | { kind: 'reset-before-response' }
  /**
   * Only the first `bytes` body bytes reach the registry, then both connections are cut.
   * A body no longer than `bytes` passes untouched; 0 cuts before the registry sees the request at all.
   */
  | { kind: 'reset-after-request-bytes'; bytes: number };

export interface FaultRule {
  /** e.g. 'PATCH'; any method when absent. */
  method?: string;
  /** Tested against the request path including the query string; any path when absent. */
  path?: RegExp;
  /** Only requests whose Content-Length is over this (a proxy's body limit, such as nginx's client_max_body_size). */
  largerThan?: number;
  /** How many matching requests it hits; default 1. */
  times?: number;
  action: FaultAction;
}

export interface ProxiedRequest {
  method: string;
  /** Path and query as the client sent them. */
  path: string;
  /** What the client received; 0 when the proxy reset the connection instead. */
  status: number;
  /** The registry's status when it answered but the client never saw it (reset-before-response). */
  upstreamStatus?: number;
  /** The injected fault, if any. */
  fault?: FaultAction['kind'];
}

export interface ProxyStats {
  /** Request counts per method, e.g. { HEAD: 3, PATCH: 1 }. */
  methods: Record<string, number>;
  /** Request-body bytes of PATCH requests actually forwarded to the registry. */
  patchBytes: number;
  /** One entry per finished request, in completion order. */
  requests: ProxiedRequest[];
}

export interface FaultProxy {
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** "127.0.0.1:PORT" */
  host: string;
  port: number;
  stats: ProxyStats;
  /** Adds a rule; rules are checked in the order added and each fires `times` times. */
  inject(rule: FaultRule): void;
  /** Drops all rules not yet used up. */
  clearFaults(): void;
  /**
   * Limits the rate of request bodies forwarded upstream (all requests, applied live); null = unlimited.
   * A client that dies mid-body is noticed only once what the kernel already buffered has been
   * forwarded at this rate; throttle(null) after killing it passes the cut on promptly.
   */
  throttle(bytesPerSecond: number | null): void;
  /** Called as each request arrives, before any fault applies. */
  onRequest(listener: (req: { method: string; path: string }) => void): void;
  /** Zeroes the counters and clears the request log. */
  resetStats(): void;
  stop(): Promise<void>;
}

// Hop-by-hop headers belong to one connection; Node frames each side itself.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function endToEnd(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** A RST rather than a FIN, so the client sees ECONNRESET. */
function resetSocket(socket: Socket): void {
  if (typeof socket.resetAndDestroy === 'function' && !socket.destroyed) socket.resetAndDestroy();
  else socket.destroy();
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when `req` can take more data or is gone (never hangs on a destroyed stream). */
function drained(req: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      req.off('drain', done);
      req.off('close', done);
      req.off('error', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
    req.on('error', done);
  });
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const rules: Array<FaultRule & { left: number }> = [];
  const listeners: Array<(req: { method: string; path: string }) => void> = [];
  const stats: ProxyStats = { methods: {}, patchBytes: 0, requests: [] };
  let rate: number | null = null;
  const agent = new http.Agent({ keepAlive: true });

  function takeRule(method: string, url: string, length: number): FaultAction | null {
    for (const rule of rules) {
      if (rule.left <= 0) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.largerThan !== undefined && !(length > rule.largerThan)) continue;
      if (rule.path !== undefined) {
        rule.path.lastIndex = 0; // a /g or /y regexp would otherwise remember the previous match
        if (!rule.path.test(url)) continue;
      }
      rule.left -= 1;
      return rule.action;
    }
    return null;
  }

  /**
   * Copies the client's body to the registry chunk by chunk, honouring backpressure and the throttle.
   * With `limit`, calls `cut` once that many bytes have left for the registry and stops reading.
   */
  async function pumpBody(req: http.IncomingMessage, upstream: http.ClientRequest, method: string, limit: number | undefined, cut: () => void): Promise<void> {
    let sent = 0;
    if (limit === 0) return cut();
    for await (const data of req) {
      let chunk = data as Buffer;
      // Once the registry side is gone, keep reading (and dropping) so the client can still get our 502.
      while (chunk.length > 0 && !upstream.destroyed) {
        let size = chunk.length;
        if (limit !== undefined) size = Math.min(size, limit - sent);
        // Small slices under a throttle so the rate is smooth (about 10 slices a second).
        if (rate !== null) size = Math.min(size, Math.max(1, Math.floor(rate / 10)));
        const slice = chunk.subarray(0, size);
        chunk = chunk.subarray(size);
        const flushed = new Promise<void>((resolve) => upstream.write(slice, () => resolve()));
        sent += slice.length;
        if (method === 'PATCH') stats.patchBytes += slice.length;
        if (limit !== undefined && sent >= limit) {
          await flushed; // make sure those bytes really left before the cut
          return cut();
        }
        if (upstream.writableNeedDrain) await drained(upstream);
        if (rate !== null) await sleep((slice.length / rate) * 1000);
      }
    }
    upstream.end();
  }

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    stats.methods[method] = (stats.methods[method] ?? 0) + 1;
    for (const listener of listeners) listener({ method, path: url });
    const log = (entry: Omit<ProxiedRequest, 'method' | 'path'>): void => {
      stats.requests.push({ method, path: url, ...entry });
    };
    const action = takeRule(method, url, Number(req.headers['content-length'] ?? 0));

    if (action?.kind === 'status') {
      // Read and discard the body first so the client is not cut off while still sending.
      req.resume();
      req.on('end', () => {
        const body = action.body ?? JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected' }] });
        const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
        if (action.retryAfter !== undefined) headers['Retry-After'] = action.retryAfter;
        res.writeHead(action.status, headers);
        res.end(method === 'HEAD' ? undefined : body);
        log({ status: action.status, fault: 'status' });
      });
      req.on('error', () => undefined);
      return;
    }

    const upstream = http.request({
      host: target.host,
      port: target.port,
      method,
      path: url,
      headers: endToEnd(req.rawHeaders), // includes the client's Host, unchanged
      agent,
    });
    let finished = false;
    const fail = (): void => {
      if (finished) return;
      finished = true;
      upstream.destroy();
      if (!res.headersSent) {
        res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'fault proxy: registry unreachable' }] }));
        log({ status: 502 });
      } else {
        res.destroy();
        log({ status: res.statusCode });
      }
    };
    upstream.on('error', fail);
    // The client went away early (e.g. killed mid-push): let the registry see the cut too.
    res.on('close', () => {
      if (!res.writableFinished && !finished) {
        finished = true;
        upstream.destroy();
        log({ status: 0 });
      }
    });

    upstream.on('response', (upRes) => {
      if (finished) return upRes.destroy();
      if (action?.kind === 'reset-before-response') {
        finished = true;
        upRes.destroy();
        resetSocket(req.socket);
        log({ status: 0, upstreamStatus: upRes.statusCode, fault: action.kind });
        return;
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, endToEnd(upRes.rawHeaders));
      upRes.pipe(res);
      upRes.on('error', fail);
      res.on('finish', () => {
        if (finished) return;
        finished = true;
        log({ status: upRes.statusCode ?? 0 });
      });
    });

    const limit = action?.kind === 'reset-after-request-bytes' ? action.bytes : undefined;
    const cut = (): void => {
      if (finished) return;
      finished = true;
      upstream.destroy();
      resetSocket(req.socket);
      log({ status: 0, fault: 'reset-after-request-bytes' });
    };
    pumpBody(req, upstream, method, limit, cut).catch(() => {
      // The client aborted its request body: pass the cut on to the registry.
      if (finished) return;
      finished = true;
      upstream.destroy();
      log({ status: 0 });
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy has no port');
  const port = address.port;

  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    stats,
    inject(rule) {
      rules.push({ ...rule, left: rule.times ?? 1 });
    },
    clearFaults() {
      rules.length = 0;
    },
    throttle(bytesPerSecond) {
      rate = bytesPerSecond !== null && bytesPerSecond > 0 ? bytesPerSecond : null;
    },
    onRequest(listener) {
      listeners.push(listener);
    },
    resetStats() {
      for (const key of Object.keys(stats.methods)) delete stats.methods[key];
      stats.patchBytes = 0;
      stats.requests.length = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { RpcRequest } from '../../shared/rpc.js';
import { createDispatcher, type Dispatcher } from '../rpc/dispatcher.js';
import { HostState } from './host-state.js';
import { FerryError } from '../util/errors.js';
import { contentSecurityPolicy, readRendererFile, rendererHeaders } from './static.js';

const COOKIE = 'ferry_session';
/** The largest WebSocket message (one RPC request) the host reads; a bigger one closes that connection with 1009. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
const DEFAULT_RENDERER = fileURLToPath(new URL('../../renderer/', import.meta.url));

export interface HostOptions {
  /** The port to listen on; without it, the one this FERRY_HOME's host used last (a free one if that is taken). */
  port?: number;
  home?: string;
  rendererDir?: string;
  /** Folders the wizard's folder browser offers besides the defaults (`ferry serve --root`). */
  browseRoots?: readonly string[];
}

export interface Host {
  /** The first URL to open, carrying a single-use token. */
  url: string;
  port: number;
  /** A new single-use URL; it voids any earlier URL not used yet. Sessions already open keep working. */
  freshUrl(): string;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieOf(req: http.IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

/** The renderer's headers; the browser host's CSP lets it reach only its own WebSocket. */
function securityHeaders(port: number): Record<string, string> {
  return rendererHeaders(contentSecurityPolicy(["'self'", `ws://127.0.0.1:${port}`, `ws://localhost:${port}`]));
}

const HOW_TO_GET_A_URL = 'For a fresh URL, press Enter in the terminal where ferry serve runs, or run `ferry serve url` on that host.';

/**
 * The browser host: the renderer and the dispatcher over WebSocket, for headless hosts reached
 * through an SSH tunnel. Binds 127.0.0.1 only. Each URL carries a random single-use token: the
 * first request with it gets its own HttpOnly session cookie and is redirected to a clean URL; the
 * token is then spent, so a URL seen later in a history, a log or over a shoulder opens nothing.
 * Every request must carry a session cookie and a loopback Host (against DNS rebinding); the
 * WebSocket also a loopback Origin.
 */
export async function startHost(opts: HostOptions = {}): Promise<Host> {
  let pendingToken: string | null = null;
  const state = await HostState.load(opts.home);
  const rendererDir = opts.rendererDir ?? DEFAULT_RENDERER;
  const dispatcher: Dispatcher = await createDispatcher({
    transport: 'browser',
    ...(opts.home ? { home: opts.home } : {}),
    browseRoots: opts.browseRoots ?? [],
  });
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const authenticated = (req: http.IncomingMessage) => {
    const cookie = cookieOf(req);
    return cookie !== undefined && state.knows(cookie);
  };
  const freshUrl = () => {
    pendingToken = randomBytes(32).toString('base64url');
    return `http://127.0.0.1:${port}/?token=${pendingToken}`;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      if (!allowedHosts().has(req.headers.host ?? '')) {
        res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Ferry answers only on 127.0.0.1 and localhost.\n');
        return;
      }
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      const offered = url.searchParams.get('token');
      if (offered !== null) {
        if (pendingToken === null || !sameSecret(offered, pendingToken)) {
          res
            .writeHead(401, { 'Content-Type': 'text/plain' })
            .end(`This link is not valid or was already used: each URL opens Ferry once. ${HOW_TO_GET_A_URL}\n`);
          return;
        }
        pendingToken = null;
        const session = randomBytes(32).toString('base64url');
        await state.addSession(session);
        url.searchParams.delete('token');
        res
          .writeHead(303, {
            Location: url.pathname + url.search,
            'Set-Cookie': `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
            ...securityHeaders(port),
          })
          .end();
        return;
      }
      if (!authenticated(req)) {
        res.writeHead(401, { 'Content-Type': 'text/plain' }).end(`Open the URL that ferry serve printed: it carries the access token. ${HOW_TO_GET_A_URL}\n`);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const file = await readRendererFile(rendererDir, url.pathname);
      if (!file) {
        res.writeHead(404, { 'Content-Type': 'text/plain', ...securityHeaders(port) }).end('Not found.\n');
        return;
      }
      res.writeHead(200, { 'Content-Type': file.type, ...securityHeaders(port) }).end(req.method === 'HEAD' ? undefined : file.body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    // Node hands the socket over without its error listener: a client resetting now must not end the host.
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== '/rpc' || !allowedHosts().has(req.headers.host ?? '') || !allowedOrigins().has(req.headers.origin ?? '') || !authenticated(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // A malformed frame, an oversized message or invalid UTF-8: ws has already closed this connection
      // with the protocol's code (1002, 1007, 1009); unheard, the 'error' would end the whole host.
      ws.on('error', () => undefined);
      ws.on('message', (data) => {
        void (async () => {
          let request;
          try {
            request = RpcRequest.parse(JSON.parse(data.toString()));
          } catch {
            ws.send(JSON.stringify({ id: -1, ok: false, error: { code: 'USAGE', message: 'Malformed request.' } }));
            return;
          }
          const envelope = await dispatcher.handle(request.method, request.params);
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: request.id, ...envelope }));
        })();
      });
    });
  });
  const unsubscribe = dispatcher.onEvent((event) => {
    const text = JSON.stringify(event);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  const listen = (wanted: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  if (opts.port !== undefined) {
    await listen(opts.port).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE') throw err;
      throw new FerryError(
        'USAGE',
        `Port ${opts.port} on 127.0.0.1 is in use by another program. Name another with --port N, or leave --port out to take the port used last (or a free one).`,
        {
          field: 'port',
        },
      );
    });
  } else {
    // Open tabs reconnect to the port they know; if another program took it meanwhile, any free port.
    await listen(state.port ?? 0).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE' || state.port === undefined) throw err;
      await listen(0);
    });
  }
  port = (server.address() as AddressInfo).port;
  state.port = port;
  await state.save();
  return {
    url: freshUrl(),
    port,
    freshUrl,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dispatcher.close();
    },
  };
}

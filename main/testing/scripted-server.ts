/**
 * A small real HTTP or HTTPS server on 127.0.0.1 whose answers a test writes: a hostile registry
 * (endless bodies, huge token answers, a token realm on plain HTTP) or the far end of a redirect.
 * It records every request with the Authorization header it carried.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tempDir } from './cli.js';
import { selfSignedCertificate } from './certificate.js';

export interface SeenRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface ScriptedServer {
  /** "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT" */
  url: string;
  /** "127.0.0.1:PORT" */
  host: string;
  /** The self-signed certificate (a PEM file) of an HTTPS server, for the client to trust as its CA file. */
  certFile?: string;
  requests: SeenRequest[];
  stop(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;

export async function startScriptedServer(handle: Handler, opts: { tls?: boolean } = {}): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    req.resume();
    handle(req, res, url);
  };
  const tlsDir = opts.tls ? await tempDir('scripted-tls') : null;
  const tls = tlsDir ? await selfSignedCertificate(tlsDir, '127.0.0.1', { ip: '127.0.0.1' }) : null;
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('scripted server has no port');
  const host = `127.0.0.1:${address.port}`;
  return {
    url: `${tls ? 'https' : 'http'}://${host}`,
    host,
    ...(tls ? { certFile: tls.certPath } : {}),
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (tlsDir) await fs.rm(tlsDir, { recursive: true, force: true });
    },
  };
}

/**
 * Answers `status` (200) and then sends bytes for ever (until the client goes away), with backpressure so the
 * server itself stays small. `sent` counts what the socket accepted.
 */
export function sendEndlessBody(res: http.ServerResponse, headers: Record<string, string>, counter: { sent: number }, status = 200): void {
  res.writeHead(status, headers);
  const chunk = Buffer.alloc(64 * 1024, 0x7b);
  let closed = false;
  res.on('close', () => (closed = true));
  const pump = () => {
    while (!closed) {
      counter.sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

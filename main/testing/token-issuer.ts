/**
 * A minimal Docker token-auth server (https://distribution.github.io/distribution/spec/auth/token/)
 * for tests: signs ES256 JWTs that a real docker-registry configured with `auth: token` accepts.
 */
import { createPrivateKey, randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { tempDir } from './cli.js';
import { selfSignedCertificate } from './certificate.js';

export interface TokenUser {
  username: string;
  password: string;
}

export interface TokenRequest {
  /** Every `scope` asked for, e.g. ['repository:acme/app:pull,push']. */
  scope: string[];
  /** The authenticated user, or null for an anonymous request. */
  user: string | null;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface TokenIssuer {
  /** http://127.0.0.1:PORT — the registry's realm is `${url}/token`. */
  url: string;
  /** Self-signed certificate (PEM) of the signing key: the registry's rootcertbundle. */
  certPath: string;
  /** Every answered or refused /token request, in order. */
  requests: TokenRequest[];
  stop(): Promise<void>;
}

export interface TokenIssuerOptions {
  users: TokenUser[];
  /** Must equal the registry's auth.token.service; becomes the `aud` claim. */
  service: string;
  /** Must equal the registry's auth.token.issuer; becomes the `iss` claim. */
  issuer: string;
  /** Anonymous requests get `pull` on what they ask for; otherwise an empty access list. */
  anonymousPull?: boolean;
  /** Token lifetime in seconds; default 60. */
  expiresIn?: number;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** `type:name:actions`; the name itself may contain ':' (e.g. `registry:catalog:*` has none, but be lenient). */
function parseScope(scope: string): Access | null {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return null;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter((a) => a !== ''),
  };
}

function parseBasic(header: string | undefined): { username: string; password: string } | null | 'malformed' {
  if (header === undefined) return null;
  const match = /^Basic\s+(\S+)$/i.exec(header);
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function signJwt(header: object, claims: object, key: KeyObject): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  // JOSE ES256 wants the raw r||s pair (64 bytes), not the DER that crypto.sign gives by default.
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${base64url(signature)}`;
}

export async function startTokenIssuer(opts: TokenIssuerOptions): Promise<TokenIssuer> {
  const dir = await tempDir('token-issuer');
  const signing = await selfSignedCertificate(dir, opts.issuer).catch(async (err: unknown) => {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  });
  const key = createPrivateKey(signing.key);
  const certDer = new X509Certificate(signing.cert).raw;
  const expiresIn = opts.expiresIn ?? 60;
  const requests: TokenRequest[] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, body: object, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    req.resume();
    if (url.pathname !== '/token') return reply(404, { errors: [{ code: 'NOT_FOUND', message: 'only /token here' }] });
    if (req.method !== 'GET') return reply(405, { errors: [{ code: 'UNSUPPORTED', message: 'GET /token only' }] });

    // Some clients send several scopes space-separated in one parameter.
    const scope = url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter((s) => s !== '');
    const credentials = parseBasic(req.headers.authorization);
    const authenticated =
      credentials !== null && credentials !== 'malformed' && opts.users.some((u) => u.username === credentials.username && u.password === credentials.password)
        ? credentials.username
        : null;
    requests.push({ scope, user: authenticated, at: Date.now() });
    if (credentials !== null && authenticated === null) {
      return reply(
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] },
        { 'WWW-Authenticate': 'Basic realm="ferry-test-issuer"' },
      );
    }
    const service = url.searchParams.get('service');
    if (service !== null && service !== opts.service) {
      return reply(400, { errors: [{ code: 'DENIED', message: `unknown service ${service}` }] });
    }

    const access: Access[] = [];
    if (authenticated !== null || opts.anonymousPull) {
      for (const s of scope) {
        const parsed = parseScope(s);
        if (!parsed) continue;
        const actions = authenticated !== null ? parsed.actions : parsed.actions.filter((a) => a === 'pull');
        if (actions.length > 0) access.push({ ...parsed, actions });
      }
    }
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(
      { typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] },
      { iss: opts.issuer, sub: authenticated ?? '', aud: opts.service, exp: now + expiresIn, nbf: now - 1, iat: now, jti: randomUUID(), access },
      key,
    );
    reply(200, { token, access_token: token, expires_in: expiresIn, issued_at: new Date(now * 1000).toISOString() });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('token issuer has no port');

  return {
    url: `http://127.0.0.1:${address.port}`,
    certPath: signing.certPath,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

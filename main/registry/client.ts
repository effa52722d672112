import fs from 'node:fs';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Agent, Dispatcher } from 'undici';
import { FerryError } from '../util/errors.js';
import { Authenticator } from './auth.js';
import { READ_LIMITS, readBounded, readErrorText } from './bounded-read.js';
import type { CredentialSource } from './credentials.js';
import { endpointHost } from './reference.js';

export interface TransportOptions {
  /** Talk HTTP, not HTTPS (loopback and lab registries). */
  plainHttp?: boolean;
  /** A PEM file of CAs to trust beside the system's (the CLI's --ca-file, the wizard's chosen file). */
  caFile?: string;
  skipTlsVerify?: boolean;
  retry?: Partial<RetryPolicy>;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 15_000 };
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const NETWORK_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export type Body = Dispatcher.ResponseData['body'];

/** A wait before a retry: which try comes next, of how many, after how long, and why. */
export interface RegistryWait {
  attempt: number;
  attempts: number;
  delayMs: number;
  reason: string;
}

/** "the registry is not answering (HTTP 503): retry 2 of 5 in 8 s": what a stalled push waits for, in a person's words. */
export function describeWait(wait: RegistryWait): string {
  return `the registry is not answering (${wait.reason}): retry ${wait.attempt} of ${wait.attempts} in ${Math.max(1, Math.round(wait.delayMs / 1000))} s`;
}

export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path on the registry (/v2/…) or an absolute URL the registry gave (an upload Location). */
  url: string | URL;
  /** Token scopes the request needs, e.g. repository:library/nginx:pull. */
  scopes: readonly string[];
  headers?: Record<string, string>;
  /**
   * Bytes are resent on a retry; a stream factory is never retried here (the caller knows where it
   * stands). An iterable's piece is written to the socket before the next is asked for.
   */
  body?: Buffer | (() => Readable | AsyncIterable<Buffer>);
  signal?: AbortSignal;
  /** Follow redirects (blob downloads from registries that hand them to a CDN or object store). */
  followRedirects?: boolean;
}

export interface RegistryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Body;
  url: URL;
}

/** The system's CA certificates beside Node's own, so registries behind a site CA installed in the OS work. */
function systemCertificates(): string[] {
  const fromNode = (tls as unknown as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (fromNode) return fromNode('system');
  for (const file of ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem']) {
    try {
      return [fs.readFileSync(file, 'utf8')];
    } catch {
      // Not this distribution's layout; try the next.
    }
  }
  return [];
}

/** The PEM text of a CA file, refused with its name when unreadable or holding no certificate. */
export function readCaFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new FerryError('USAGE', `Cannot read the CA file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, { file });
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text)) {
    throw new FerryError(
      'INVALID_INPUT',
      `The CA file ${file} holds no PEM certificate: it should contain -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----.`,
      { file },
    );
  }
  return text;
}

/**
 * undici, loaded with the first request: most commands never talk to a registry, and loading it
 * costs a CLI command about a tenth of a second.
 */
let undici: Promise<typeof import('undici')> | undefined;
function loadUndici(): Promise<typeof import('undici')> {
  undici ??= import('undici');
  return undici;
}

/** The TLS settings, read now so a bad --ca-file is reported when the client is made. */
function connectOptions(opts: TransportOptions): tls.ConnectionOptions {
  const connect: tls.ConnectionOptions = {};
  if (opts.skipTlsVerify) connect.rejectUnauthorized = false;
  else if (!opts.plainHttp) {
    const ca = [...tls.rootCertificates, ...systemCertificates()];
    if (opts.caFile) ca.push(readCaFile(opts.caFile));
    connect.ca = ca;
  }
  return connect;
}

function networkCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code && NETWORK_ERRORS.has(e.code) ? e.code : e?.cause?.code && NETWORK_ERRORS.has(e.cause.code) ? e.cause.code : undefined;
}

function header(res: { headers: RegistryResponse['headers'] }, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After in seconds or as an HTTP date; capped so a registry cannot park us for hours. */
export function retryAfterMs(value: string | undefined, maxMs = 60_000): number | null {
  if (!value) return null;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), Math.max(maxMs, 60_000)) : null;
}

/**
 * One registry, as one host: HTTPS or HTTP, TLS trust, authentication (Basic or tokens per scope)
 * and retries with backoff on 5xx, 429 (honouring Retry-After) and connection failures.
 */
export class RegistryClient {
  readonly origin: string;
  readonly auth: Authenticator;
  private readonly connect: tls.ConnectionOptions;
  private agent: Agent | undefined;
  private closed = false;
  private readonly retry: RetryPolicy;
  /** Told before each wait for a retry, and with null once an answer came: a stalled job says what it waits for. */
  onWait: ((wait: RegistryWait | null) => void) | undefined;

  constructor(
    readonly registry: string,
    credentials: CredentialSource,
    opts: TransportOptions = {},
  ) {
    this.origin = `${opts.plainHttp ? 'http' : 'https'}://${endpointHost(registry)}`;
    this.connect = connectOptions(opts);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    const fetchToken = async (url: URL, headers: Record<string, string>) => {
      const res = await this.send('GET', url, headers, undefined, undefined);
      if (res.statusCode !== 200) return { status: res.statusCode, body: await readErrorText(res.body) };
      return {
        status: res.statusCode,
        body: (await readBounded(res, READ_LIMITS.token, `The token service's answer (${url.origin}${url.pathname})`, { registry })).toString('utf8'),
      };
    };
    // --plain-http is the operator's consent to cleartext; without it, credentials never go to an http:// token service.
    this.auth = new Authenticator(registry, async () => (await credentials.lookup(registry)).credential, fetchToken, {
      plainHttpAllowed: opts.plainHttp === true,
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.agent?.close();
  }

  private async send(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: Buffer | Readable | AsyncIterable<Buffer> | undefined,
    signal: AbortSignal | undefined,
  ) {
    const { Agent, request } = await loadUndici();
    if (this.closed) throw new FerryError('CANCELLED', `The connection to ${this.registry} was closed.`);
    // Chunks are sized to take seconds, but a slow link may still take minutes for one.
    this.agent ??= new Agent({ connect: this.connect, headersTimeout: 600_000, bodyTimeout: 300_000, keepAliveTimeout: 30_000 });
    return request(url, {
      method: method as Dispatcher.HttpMethod,
      headers: { 'user-agent': 'ferry', ...headers },
      // undici writes an iterable's piece and waits for the socket to drain before asking for the
      // next (writeIterable), though its request types leave iterables out.
      body: (body ?? null) as Dispatcher.RequestOptions['body'],
      dispatcher: this.agent,
      signal: signal ?? null,
    }).catch((err: unknown) => {
      if (signal?.aborted) throw new FerryError('CANCELLED', 'Cancelled.');
      const code = networkCode(err);
      if (code)
        throw Object.assign(
          new FerryError('REMOTE', `Cannot reach ${this.registry} (${url.origin}): ${code}. Check the address, the network and --plain-http.`, {
            registry: this.registry,
          }),
          { networkCode: code },
        );
      if ((err as { code?: string }).code?.startsWith('ERR_TLS') || /certificate/i.test((err as Error).message)) {
        throw new FerryError(
          'REMOTE',
          `TLS with ${this.registry} failed: ${(err as Error).message}. Trust its CA with --ca-file, or use --skip-tls-verify on a lab registry.`,
          { registry: this.registry },
        );
      }
      throw new FerryError('REMOTE', `Request to ${this.registry} failed: ${(err as Error).message}.`, { registry: this.registry });
    });
  }

  /** Sends a request with authentication and retries; the caller reads or dumps the body. */
  async request(req: RegistryRequest): Promise<RegistryResponse> {
    let url = typeof req.url === 'string' ? new URL(req.url, this.origin) : req.url;
    const replayable = !(typeof req.body === 'function');
    let authRetries = 0;
    let redirects = 0;
    for (let attempt = 1; ; attempt++) {
      const sameOrigin = url.origin === this.origin;
      const authorization = sameOrigin ? await this.auth.header(req.scopes) : null;
      const headers = { ...req.headers, ...(authorization ? { authorization } : {}) };
      const body = typeof req.body === 'function' ? req.body() : req.body;
      let res: Dispatcher.ResponseData;
      try {
        res = await this.send(req.method, url, headers, body, req.signal);
      } catch (err) {
        const code = (err as { networkCode?: string }).networkCode;
        if (code && replayable && attempt < this.retry.attempts) {
          const delayMs = this.backoff(attempt);
          this.onWait?.({ attempt, attempts: this.retry.attempts - 1, delayMs, reason: code });
          await this.pause(delayMs, req.signal);
          continue;
        }
        throw err;
      }
      if (attempt > 1) this.onWait?.(null);
      const response: RegistryResponse = { status: res.statusCode, headers: res.headers, body: res.body, url };
      if (res.statusCode === 401 && sameOrigin) {
        await res.body.dump();
        this.auth.learn(header(response, 'www-authenticate'));
        // A token may have expired or lacked a scope: one fresh token is worth a second try.
        if (authorization?.startsWith('Bearer ')) this.auth.forget(req.scopes);
        if (authRetries < 2 && replayable) {
          authRetries++;
          continue;
        }
        throw new FerryError(
          'AUTH',
          this.auth.withheld
            ? this.auth.withheld
            : (await this.auth.hasCredential())
              ? `${this.registry} refused the credentials for ${req.method} ${url.pathname}. Check the username, password and their rights on this repository.`
              : `${this.registry} refused anonymous access to ${url.pathname}. Log in with docker login, or give --username and --password-stdin.`,
          { registry: this.registry },
        );
      }
      if (RETRY_STATUSES.has(res.statusCode) && replayable && attempt < this.retry.attempts) {
        await res.body.dump();
        const delay = retryAfterMs(header(response, 'retry-after'), this.retry.maxDelayMs) ?? this.backoff(attempt);
        this.onWait?.({ attempt, attempts: this.retry.attempts - 1, delayMs: delay, reason: `HTTP ${res.statusCode}` });
        await this.pause(delay, req.signal);
        continue;
      }
      const location = header(response, 'location');
      if (req.followRedirects && [301, 302, 303, 307, 308].includes(res.statusCode) && location && redirects < 5) {
        await res.body.dump();
        url = new URL(location, url);
        redirects++;
        continue;
      }
      return response;
    }
  }

  private backoff(attempt: number): number {
    const exponential = Math.min(this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
    return exponential / 2 + Math.random() * (exponential / 2);
  }

  private async pause(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(delayMs, undefined, signal ? { signal } : {});
    } catch {
      throw new FerryError('CANCELLED', 'Cancelled.');
    }
  }

  /** Turns an unexpected answer into an error naming what was asked, with the registry's own words. */
  async fail(res: RegistryResponse, what: string, details: Record<string, unknown> = {}): Promise<never> {
    const text = res.status === 404 && res.url.pathname.includes('/manifests/') ? '' : await readErrorText(res.body);
    let reason: string;
    try {
      const errors = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
      reason = errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
    } catch {
      reason = text.slice(0, 200).trim();
    }
    const code = res.status === 401 || res.status === 403 ? 'AUTH' : res.status === 404 ? 'NOT_FOUND' : 'REMOTE';
    throw new FerryError(code, `${what}: ${this.registry} answered HTTP ${res.status}${reason ? ` (${reason})` : ''}.`, {
      registry: this.registry,
      status: res.status,
      ...details,
    });
  }

  /** Checks the registry speaks the v2 API and the credentials are accepted (the wizard's Test connection). */
  async ping(signal?: AbortSignal): Promise<{ authenticated: boolean }> {
    const res = await this.request({ method: 'GET', url: '/v2/', scopes: [], ...(signal ? { signal } : {}) });
    if (res.status !== 200) await this.fail(res, 'Checking the registry API at /v2/');
    await res.body.dump();
    return { authenticated: this.auth.knowsChallenge };
  }
}

export function headerValue(res: RegistryResponse, name: string): string | undefined {
  return header(res, name);
}

export const pullScope = (repository: string) => `repository:${repository}:pull`;
export const pushScope = (repository: string) => `repository:${repository}:pull,push`;

import { FerryError } from '../util/errors.js';
import type { Credential } from './credentials.js';

/** What a registry asked for in its WWW-Authenticate header. */
export type Challenge = { scheme: 'basic' } | { scheme: 'bearer'; realm: string; service?: string };

/** Parses `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export function parseChallenge(header: string | undefined): Challenge | null {
  if (!header) return null;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  const params = new Map<string, string>();
  for (const p of match[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    params.set(p[1]!.toLowerCase(), p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!);
  if (scheme === 'basic') return { scheme: 'basic' };
  if (scheme === 'bearer') {
    const realm = params.get('realm');
    if (!realm) return null;
    const service = params.get('service');
    return { scheme: 'bearer', realm, ...(service ? { service } : {}) };
  }
  return null;
}

export function basicHeader(credential: Credential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

interface CachedToken {
  token: Promise<string>;
  expiresAt: number;
}

/** Tokens are renewed this long before they expire, so a chunk in flight never carries a stale one. */
const RENEW_MARGIN_MS = 20_000;

export type TokenFetcher = (url: URL, headers: Record<string, string>) => Promise<{ status: number; body: string }>;

/**
 * Answers a registry's challenge: Basic credentials as they are, or the Bearer token flow (ask the
 * realm for a token for exactly these scopes, reuse it until shortly before it expires).
 */
export class Authenticator {
  private challenge: Challenge | null = null;
  private readonly tokens = new Map<string, CachedToken>();
  /** Why credentials were kept from the token service, once they were: the message for a refusal that follows. */
  withheld: string | null = null;

  constructor(
    private readonly registry: string,
    private readonly credential: () => Promise<Credential | null>,
    private readonly fetchToken: TokenFetcher,
    private readonly opts: { plainHttpAllowed: boolean } = { plainHttpAllowed: false },
  ) {}

  get knowsChallenge(): boolean {
    return this.challenge !== null;
  }

  /** Learns the challenge from a 401. */
  learn(header: string | undefined): void {
    const challenge = parseChallenge(header);
    if (!challenge)
      throw new FerryError(
        'AUTH',
        `${this.registry} asked for authentication in a way Ferry does not understand (${header ?? 'no WWW-Authenticate header'}).`,
        { registry: this.registry },
      );
    this.challenge = challenge;
  }

  /** Forgets a token the registry refused, so the next request fetches a new one. */
  forget(scopes: readonly string[]): void {
    this.tokens.delete(scopeKey(scopes));
  }

  /** The Authorization header for a request needing `scopes`, or null while none is known to be needed. */
  async header(scopes: readonly string[]): Promise<string | null> {
    const challenge = this.challenge;
    if (!challenge) return null;
    const credential = await this.credential();
    if (challenge.scheme === 'basic') {
      if (!credential)
        throw new FerryError(
          'AUTH',
          `${this.registry} needs a username and password, and none were found. Log in with docker login, or give --username and --password-stdin.`,
          { registry: this.registry },
        );
      return basicHeader(credential);
    }
    const key = scopeKey(scopes);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - RENEW_MARGIN_MS > Date.now()) return `Bearer ${await cached.token}`;
    // Blobs pushed side by side ask at once: they share one token request.
    const pending = this.requestToken(challenge, scopes, credential);
    const entry: CachedToken = { token: pending.then((t) => t.token), expiresAt: Number.MAX_SAFE_INTEGER };
    entry.token.catch(() => undefined); // the failure is thrown below; sharers awaiting it see it too
    this.tokens.set(key, entry);
    try {
      const token = await pending;
      entry.expiresAt = token.expiresAt;
      return `Bearer ${token.token}`;
    } catch (err) {
      if (this.tokens.get(key) === entry) this.tokens.delete(key);
      throw err;
    }
  }

  /** Whether any credential is known for this registry (for error messages that say which is wrong). */
  async hasCredential(): Promise<boolean> {
    return (await this.credential()) !== null;
  }

  private async requestToken(
    challenge: Extract<Challenge, { scheme: 'bearer' }>,
    scopes: readonly string[],
    credential: Credential | null,
  ): Promise<{ token: string; expiresAt: number }> {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const startedAt = Date.now();
    // A token service on plain HTTP would see the password in clear: it gets an anonymous request
    // (which carries no secret, so registries with anonymous pull still work), unless the run allowed plain HTTP.
    const inClear = url.protocol === 'http:' && !this.opts.plainHttpAllowed;
    if (inClear && credential) {
      this.withheld = `${this.registry} names its token service at ${url.origin}, over plain HTTP, so Ferry did not send the credentials for ${credential.username} there (they would travel in clear) and asked for an anonymous token, which was not enough. Have the registry's token service served over HTTPS.`;
    }
    const { status, body } = await this.fetchToken(url, credential && !inClear ? { authorization: basicHeader(credential) } : {});
    if (inClear && credential && (status === 401 || status === 403))
      throw new FerryError('AUTH', this.withheld!, { registry: this.registry, realm: url.origin });
    if (status === 401 || status === 403) {
      throw new FerryError(
        'AUTH',
        credential
          ? `The token service of ${this.registry} refused the credentials for ${credential.username}. Check the username and password.`
          : `${this.registry} needs credentials, and none were found. Log in with docker login, or give --username and --password-stdin.`,
        { registry: this.registry },
      );
    }
    if (status !== 200)
      throw new FerryError('REMOTE', `The token service of ${this.registry} (${url.origin}${url.pathname}) answered HTTP ${status}.`, {
        registry: this.registry,
        status,
      });
    let parsed: { token?: string; access_token?: string; expires_in?: number };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw new FerryError('REMOTE', `The token service of ${this.registry} answered something that is not JSON.`, { registry: this.registry });
    }
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw new FerryError('REMOTE', `The token service of ${this.registry} answered without a token.`, { registry: this.registry });
    // The spec's default lifetime is 60 s; a shorter one is treated as 60 s, as docker does.
    const lifetime = Math.max(typeof parsed.expires_in === 'number' ? parsed.expires_in : 60, 60);
    return { token, expiresAt: startedAt + lifetime * 1000 };
  }
}

function scopeKey(scopes: readonly string[]): string {
  return [...scopes].sort().join(' ');
}

/**
 * Runs a real Debian `docker-registry` (distribution 2.8) on 127.0.0.1 for tests:
 * anonymous, htpasswd (bcrypt) or token auth (with our own token issuer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { tempDir } from './cli.js';
import { freePort } from './free-port.js';
import { startTokenIssuer, type TokenIssuer, type TokenUser } from './token-issuer.js';

export type { TokenIssuer } from './token-issuer.js';

export const REGISTRY_BIN = 'docker-registry';
export const REGISTRY_REALM = 'ferry-test';
export const TOKEN_SERVICE = 'ferry-test-registry';
export const TOKEN_ISSUER = 'ferry-test-issuer';
export const DEFAULT_USERS: TokenUser[] = [{ username: 'ferry', password: 's3cret-pass' }];

export interface RegistryOptions {
  auth?: 'none' | 'htpasswd' | 'token';
  /** Default (when auth is set): DEFAULT_USERS. */
  users?: TokenUser[];
  /** Storage root; a temp dir (removed on stop) when absent. A caller's directory is never removed. */
  storage?: string;
  port?: number;
  /** http.secret; unset by default, so upload sessions do not survive a restart (as with the Debian package). */
  secret?: string;
  /** Token auth only: anonymous clients may pull. */
  anonymousPull?: boolean;
  /** Token auth only: lifetime of issued tokens in seconds (default 60). */
  tokenExpiresIn?: number;
}

export interface TestRegistry {
  /** "127.0.0.1:PORT" */
  host: string;
  port: number;
  /** "http://127.0.0.1:PORT" */
  url: string;
  storage: string;
  /** Present with auth: 'token'. */
  tokens?: TokenIssuer;
  users: TokenUser[];
  /** SIGTERM the registry (SIGKILL after 5 s), stop the token issuer, remove temp dirs. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILL the registry only; restart() or stop() afterwards. */
  kill(): Promise<void>;
  /** Stop the process, start it again with the same port, storage and config. */
  restart(): Promise<void>;
  /** Everything the registry wrote to stdout and stderr so far (all runs). */
  logs(): string;
}

/** Registries still running, killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

function yamlString(value: string): string {
  return JSON.stringify(value); // a JSON string is a valid YAML double-quoted scalar
}

/** GET /v2/ once; resolves with the status or null when nothing answers yet. */
function probe(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/v2/', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/** Another server on the port would answer our readiness probe in the registry's place. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err) => reject(new Error(`port ${port} on 127.0.0.1 is not free: ${err.message}`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  const auth = opts.auth ?? 'none';
  const users = opts.users ?? DEFAULT_USERS;
  const dir = await tempDir('registry');
  const storage = opts.storage ?? path.join(dir, 'storage');
  await fs.mkdir(storage, { recursive: true });
  const port = opts.port ?? (await freePort());
  let tokens: TokenIssuer | undefined;

  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${yamlString(storage)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (opts.secret !== undefined) lines.push(`  secret: ${yamlString(opts.secret)}`);
  if (auth === 'htpasswd') {
    const htpasswd = path.join(dir, 'htpasswd');
    // distribution 2.8 accepts only bcrypt entries; cost 5 keeps tests fast.
    const entries = users.map((u) => `${u.username}:${bcrypt.hashSync(u.password, 5)}`);
    await fs.writeFile(htpasswd, entries.join('\n') + '\n');
    lines.push('auth:', '  htpasswd:', `    realm: ${REGISTRY_REALM}`, `    path: ${yamlString(htpasswd)}`);
  } else if (auth === 'token') {
    tokens = await startTokenIssuer({ users, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, anonymousPull: opts.anonymousPull, expiresIn: opts.tokenExpiresIn });
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${yamlString(`${tokens.url}/token`)}`,
      `    service: ${TOKEN_SERVICE}`,
      `    issuer: ${TOKEN_ISSUER}`,
      `    rootcertbundle: ${yamlString(tokens.certPath)}`,
    );
  }
  const configPath = path.join(dir, 'config.yml');
  await fs.writeFile(configPath, lines.join('\n') + '\n');

  // REGISTRY_* variables override the config file; keep the caller's environment out of it.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('REGISTRY_')) env[k] = v;

  let output = '';
  let child: ChildProcess | null = null;

  async function launch(): Promise<void> {
    await assertPortFree(port);
    const started = spawn(REGISTRY_BIN, ['serve', configPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    track(started);
    let runOutput = '';
    const collect = (d: Buffer): void => {
      output += d.toString();
      runOutput += d.toString();
    };
    started.stdout!.on('data', collect);
    started.stderr!.on('data', collect);
    const failure: { error?: Error } = {};
    started.on('error', (err) => (failure.error = err));

    const deadline = Date.now() + 15_000;
    for (;;) {
      if (failure.error) {
        child = null; // never ran: nothing to stop
        throw new Error(`could not run ${REGISTRY_BIN}: ${failure.error.message}`);
      }
      if (started.exitCode !== null || started.signalCode !== null) {
        throw new Error(`${REGISTRY_BIN} exited (${started.exitCode ?? started.signalCode}) before answering:\n${runOutput}`);
      }
      const status = await probe(port);
      if (status === 200 || status === 401) return;
      if (Date.now() > deadline) {
        started.kill('SIGKILL');
        await exited(started);
        throw new Error(`${REGISTRY_BIN} did not answer GET /v2/ on port ${port} within 15 s (last status ${status}):\n${runOutput}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function terminate(signal: NodeJS.Signals): Promise<void> {
    const current = child;
    child = null;
    if (!current) return;
    if (current.exitCode === null && current.signalCode === null) current.kill(signal);
    const timer = setTimeout(() => current.kill('SIGKILL'), 5_000);
    await exited(current);
    clearTimeout(timer);
  }

  let stopped = false;
  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    await terminate('SIGTERM');
    await tokens?.stop();
    await fs.rm(dir, { recursive: true, force: true }); // holds the storage only when the caller gave none
  }

  try {
    await launch();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    host: `127.0.0.1:${port}`,
    port,
    url: `http://127.0.0.1:${port}`,
    storage,
    tokens,
    users,
    stop,
    kill: () => terminate('SIGKILL'),
    async restart() {
      if (stopped) throw new Error('registry was stopped; start a new one');
      await terminate('SIGTERM');
      await launch();
    },
    logs: () => output,
  };
}

import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FerryError } from '../util/errors.js';

export interface Credential {
  username: string;
  password: string;
}

/** Where a registry's credentials were found; shown to people, never the secret itself. */
export type CredentialOrigin = 'given' | 'remembered' | 'docker-config' | `helper ${string}` | 'none';

export interface FoundCredential {
  credential: Credential | null;
  origin: CredentialOrigin;
}

/** Answers "which credential for this registry?"; each run builds one and keeps it in memory only. */
export interface CredentialSource {
  lookup(registry: string): Promise<FoundCredential>;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker'), 'config.json');
}

async function readDockerConfig(file: string): Promise<DockerConfig> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new FerryError('IO', `Cannot read the Docker config ${file}: ${(err as Error).message}.`, { file });
  }
  try {
    return JSON.parse(text) as DockerConfig;
  } catch {
    throw new FerryError('INVALID_INPUT', `The Docker config ${file} is not valid JSON. Fix it, or give credentials with --username and --password-stdin.`, {
      file,
    });
  }
}

/** The keys docker itself files a registry's credentials under. */
function configKeys(registry: string): string[] {
  if (registry === 'docker.io') return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

function helperServerName(registry: string): string {
  return registry === 'docker.io' ? 'https://index.docker.io/v1/' : registry;
}

/** Runs `docker-credential-<helper> get` with the server on stdin, as docker does. */
function runCredentialHelper(helper: string, registry: string): Promise<Credential | null> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new FerryError(
          'AUTH',
          `The Docker credential helper ${program} could not run (${err.code ?? err.message}). Install it, or give credentials with --username and --password-stdin.`,
          { registry },
        ),
      ),
    );
    child.on('close', (code) => {
      if (code !== 0) {
        // Helpers say "credentials not found" on stdout or stderr with exit 1: that is "no credential".
        if (/not found/i.test(stdout + stderr)) return resolve(null);
        return reject(new FerryError('AUTH', `The Docker credential helper ${program} failed for ${registry} (exit ${code}).`, { registry }));
      }
      try {
        const parsed = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!parsed.Secret) return resolve(null);
        resolve({ username: parsed.Username ?? '', password: parsed.Secret });
      } catch {
        reject(new FerryError('AUTH', `The Docker credential helper ${program} answered something that is not JSON for ${registry}.`, { registry }));
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(helperServerName(registry));
  });
}

function decodeAuth(entry: NonNullable<DockerConfig['auths']>[string], file: string, key: string): Credential | null {
  if (entry.identitytoken) {
    throw new FerryError(
      'AUTH',
      `${file} holds an OAuth identity token for ${key}; Ferry does not use those yet. Give credentials with --username and --password-stdin.`,
      { file, registry: key },
    );
  }
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  if (!entry.auth) return null;
  const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new FerryError('INVALID_INPUT', `${file}: the auth entry for ${key} is not base64 of user:password.`, { file, registry: key });
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Credentials the way docker finds them: given ones first (--username/--password-stdin or the
 * app's form, per registry or for all), then credHelpers, auths, credsStore in DOCKER_CONFIG.
 */
export function credentialSource(
  opts: { given?: ReadonlyMap<string, Credential> | Credential; givenOrigin?: 'given' | 'remembered'; dockerConfig?: string } = {},
): CredentialSource {
  const file = opts.dockerConfig ?? dockerConfigPath();
  let config: Promise<DockerConfig> | undefined;
  const cache = new Map<string, Promise<FoundCredential>>();
  const find = async (registry: string): Promise<FoundCredential> => {
    const given = opts.given instanceof Map ? opts.given.get(registry) : (opts.given as Credential | undefined);
    if (given) return { credential: given, origin: opts.givenOrigin ?? 'given' };
    config ??= readDockerConfig(file);
    const docker = await config;
    const helper = docker.credHelpers?.[registry] ?? (registry === 'docker.io' ? docker.credHelpers?.['index.docker.io'] : undefined);
    if (helper) return { credential: await runCredentialHelper(helper, registry), origin: `helper ${helper}` };
    for (const key of configKeys(registry)) {
      const entry = docker.auths?.[key];
      if (!entry) continue;
      const credential = decodeAuth(entry, file, key);
      if (credential) return { credential, origin: 'docker-config' };
    }
    if (docker.credsStore) {
      const credential = await runCredentialHelper(docker.credsStore, registry);
      if (credential) return { credential, origin: `helper ${docker.credsStore}` };
    }
    return { credential: null, origin: 'none' };
  };
  return {
    lookup(registry) {
      let found = cache.get(registry);
      if (!found) {
        found = find(registry);
        cache.set(registry, found);
      }
      return found;
    },
  };
}

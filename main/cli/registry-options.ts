import type { RegistryAccess } from '../registry/clients.js';
import type { Credential } from '../registry/credentials.js';
import { FerryError } from '../util/errors.js';
import { readStdin } from './stdin.js';

/** The registry options `export` and `import` share. */
export const REGISTRY_OPTIONS = {
  'plain-http': { type: 'boolean' },
  'ca-file': { type: 'string' },
  'skip-tls-verify': { type: 'boolean' },
  username: { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const;

export const REGISTRY_USAGE = `Registry access (credentials from DOCKER_CONFIG or ~/.docker/config.json: auths, credHelpers, credsStore):
  --username USER          log in as USER, with the password read from standard input:
  --password-stdin         echo "$PASSWORD" | ferry … --username USER --password-stdin
  --ca-file PEM            trust this CA beside the system's
  --skip-tls-verify        do not check the registry's certificate (lab registries only)
  --plain-http             talk HTTP, not HTTPS (loopback and lab registries)`;

interface RegistryValues {
  'plain-http'?: boolean;
  'ca-file'?: string;
  'skip-tls-verify'?: boolean;
  username?: string;
  'password-stdin'?: boolean;
}

export function registryAccess(values: RegistryValues): RegistryAccess {
  return {
    ...(values['plain-http'] ? { plainHttp: true } : {}),
    ...(values['ca-file'] ? { caFile: values['ca-file'] } : {}),
    ...(values['skip-tls-verify'] ? { skipTlsVerify: true } : {}),
  };
}

/**
 * Credentials typed for a run: --username with --password-stdin for `registries` (they must be one
 * registry, so a password never reaches a host it was not meant for); none without --username.
 */
export async function typedCredentials(values: RegistryValues, registries: readonly string[]): Promise<Map<string, Credential>> {
  if (values['password-stdin'] && !values.username) throw new FerryError('USAGE', '--password-stdin needs --username.');
  if (!values.username) return new Map();
  if (!values['password-stdin'])
    throw new FerryError('USAGE', 'Give the password for --username on standard input with --password-stdin (never as an argument).');
  const hosts = [...new Set(registries)];
  if (hosts.length !== 1) {
    throw new FerryError(
      'USAGE',
      `--username applies to one registry, and this run uses ${hosts.length === 0 ? 'none' : hosts.join(', ')}. Log in to each with docker login instead.`,
    );
  }
  const password = await readStdin();
  if (!password) throw new FerryError('USAGE', '--password-stdin read an empty password.');
  return new Map([[hosts[0]!, { username: values.username, password }]]);
}

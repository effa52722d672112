import { RegistryClient, type TransportOptions } from './client.js';
import type { CredentialSource } from './credentials.js';

/** How to reach registries in one run: the CLI's --plain-http, --ca-file, --skip-tls-verify, or the wizard's form. */
export type RegistryAccess = Pick<TransportOptions, 'plainHttp' | 'caFile' | 'skipTlsVerify'>;

/** One client per registry host for a run, sharing credentials and transport settings. */
export class RegistryClients {
  private readonly clients = new Map<string, RegistryClient>();

  constructor(
    private readonly credentials: CredentialSource,
    private readonly access: TransportOptions = {},
  ) {}

  get(registry: string): RegistryClient {
    let client = this.clients.get(registry);
    if (!client) {
      client = new RegistryClient(registry, this.credentials, this.access);
      this.clients.set(registry, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }
}

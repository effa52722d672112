import fsp from 'node:fs/promises';
import path from 'node:path';
import type { CredentialStorage } from '../../shared/rpc.js';
import { writeFileAtomic } from '../util/atomic.js';
import type { Credential } from './credentials.js';

/**
 * Encryption the desktop shell provides (Electron's safeStorage); main/ never imports electron.
 * Asynchronous: the engine runs in a utility process and asks the main process, which owns safeStorage.
 */
export interface SecretBox {
  /** basic_text is Electron's fallback on Linux without a keyring: stored, but not really protected. */
  backend: 'os' | 'basic_text';
  encrypt(text: string): Promise<Buffer>;
  decrypt(data: Buffer): Promise<string>;
}

/**
 * Credentials typed into the wizard. With a SecretBox they are kept encrypted in
 * FERRY_HOME/credentials.json; without one (the browser host) only in this process's memory.
 * Never in logs, the ledger or job state.
 */
export class CredentialStore {
  private readonly memory = new Map<string, Credential>();
  private readonly file: string;

  constructor(
    home: string,
    private readonly box?: SecretBox,
  ) {
    this.file = path.join(home, 'credentials.json');
  }

  get storage(): CredentialStorage {
    if (!this.box) return 'memory';
    return this.box.backend === 'os' ? 'os-keychain' : 'plain-text';
  }

  private async readFile(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await fsp.readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  async remember(registry: string, credential: Credential): Promise<void> {
    this.memory.set(registry, credential);
    if (!this.box) return;
    const all = await this.readFile();
    all[registry] = (await this.box.encrypt(JSON.stringify(credential))).toString('base64');
    await writeFileAtomic(this.file, JSON.stringify(all, null, 2), 0o600);
  }

  async forget(registry: string): Promise<boolean> {
    const held = this.memory.delete(registry);
    if (!this.box) return held;
    const all = await this.readFile();
    if (!(registry in all)) return held;
    delete all[registry];
    await writeFileAtomic(this.file, JSON.stringify(all, null, 2), 0o600);
    return true;
  }

  async get(registry: string): Promise<Credential | null> {
    const held = this.memory.get(registry);
    if (held || !this.box) return held ?? null;
    const sealed = (await this.readFile())[registry];
    if (!sealed) return null;
    try {
      const credential = JSON.parse(await this.box.decrypt(Buffer.from(sealed, 'base64'))) as Credential;
      this.memory.set(registry, credential);
      return credential;
    } catch {
      // Sealed by another user or machine: as good as absent; the form asks again.
      return null;
    }
  }
}

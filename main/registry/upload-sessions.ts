import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';

/** An upload the registry has confirmed up to `offset`, kept so a later run continues it. */
export interface UploadSession {
  registry: string;
  repository: string;
  digest: string;
  /** The newest Location the registry gave; the session's identity and state. */
  location: string;
  offset: number;
  updatedAt: string;
}

/**
 * Upload sessions on disk, one small file each, rewritten (temp + rename) after every chunk the
 * registry confirms. A crash leaves the last confirmed state, never a half-written one.
 */
export class UploadSessions {
  constructor(private readonly dir: string) {}

  private fileFor(registry: string, repository: string, digest: string): string {
    const key = createHash('sha256').update(`${registry}\n${repository}\n${digest}`).digest('hex').slice(0, 32);
    return path.join(this.dir, `${key}.json`);
  }

  async load(registry: string, repository: string, digest: string): Promise<UploadSession | null> {
    try {
      const session = JSON.parse(await fsp.readFile(this.fileFor(registry, repository, digest), 'utf8')) as UploadSession;
      const matches = session.registry === registry && session.repository === repository && session.digest === digest;
      return matches && typeof session.location === 'string' && Number.isSafeInteger(session.offset) ? session : null;
    } catch {
      return null;
    }
  }

  async save(session: Omit<UploadSession, 'updatedAt'>): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(
      this.fileFor(session.registry, session.repository, session.digest),
      JSON.stringify({ ...session, updatedAt: new Date().toISOString() }),
      0o600,
    );
  }

  async remove(registry: string, repository: string, digest: string): Promise<void> {
    await fsp.rm(this.fileFor(registry, repository, digest), { force: true });
  }
}

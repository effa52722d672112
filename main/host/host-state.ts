import { createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';

/** How many browser sessions a restarted host still accepts: the most recent ones. */
const KEPT_SESSIONS = 32;

/**
 * What `ferry serve` keeps across its own restart, in FERRY_HOME/host.json (0600): the port it
 * listened on, so open tabs find it again, and the sessions it opened, as sha256 hashes of their
 * cookies, so those tabs are still let in. The single-use URL tokens are never kept.
 */
export class HostState {
  private constructor(
    private readonly file: string | undefined,
    public port: number | undefined,
    private readonly sessionHashes: string[],
  ) {}

  static async load(home: string | undefined): Promise<HostState> {
    if (!home) return new HostState(undefined, undefined, []);
    const file = path.join(home, 'host.json');
    try {
      const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as { port?: unknown; sessions?: unknown };
      const port = Number.isInteger(parsed.port) && (parsed.port as number) > 0 && (parsed.port as number) < 65536 ? (parsed.port as number) : undefined;
      const sessions = Array.isArray(parsed.sessions) ? parsed.sessions.filter((s): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s)) : [];
      return new HostState(file, port, sessions.slice(-KEPT_SESSIONS));
    } catch {
      return new HostState(file, undefined, []);
    }
  }

  knows(cookie: string): boolean {
    const hash = Buffer.from(hashOf(cookie), 'hex');
    return this.sessionHashes.some((known) => timingSafeEqual(Buffer.from(known, 'hex'), hash));
  }

  async addSession(cookie: string): Promise<void> {
    this.sessionHashes.push(hashOf(cookie));
    this.sessionHashes.splice(0, Math.max(0, this.sessionHashes.length - KEPT_SESSIONS));
    await this.save();
  }

  async save(): Promise<void> {
    if (!this.file) return;
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file, JSON.stringify({ port: this.port, sessions: this.sessionHashes }, null, 2) + '\n', 0o600);
  }
}

function hashOf(cookie: string): string {
  return createHash('sha256').update(cookie).digest('hex');
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { Job } from '../../shared/rpc.js';
import { writeFileAtomic } from '../util/atomic.js';

/**
 * Job state on disk, FERRY_HOME/jobs/<id>.json, so a restarted app can offer to resume. Written
 * atomically; progress is not persisted at every tick, only state changes and a slow heartbeat.
 */
export class JobStore {
  constructor(private readonly dir: string) {}

  static forHome(home: string): JobStore {
    return new JobStore(path.join(home, 'jobs'));
  }

  async save(job: Job): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.fileOf(job.id), JSON.stringify(job, null, 2) + '\n', 0o600);
  }

  async remove(id: string): Promise<void> {
    await fs.rm(this.fileOf(id), { force: true });
  }

  async loadAll(): Promise<Job[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    const jobs: Job[] = [];
    for (const name of names.filter((n) => /^[0-9a-f-]{36}\.json$/.test(n))) {
      try {
        const parsed = Job.safeParse(JSON.parse(await fs.readFile(path.join(this.dir, name), 'utf8')));
        if (parsed.success) jobs.push(parsed.data);
      } catch {
        // A job file that cannot be read is skipped; it is not evidence (the ledger is).
      }
    }
    return jobs.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  }

  private fileOf(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`invalid job id ${id}`);
    return path.join(this.dir, `${id}.json`);
  }
}

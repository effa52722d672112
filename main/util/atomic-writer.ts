import fs from 'node:fs/promises';
import path from 'node:path';
import { syncDir, tempPathFor } from './atomic.js';

const FLUSH_AT = 1024 * 1024;

/**
 * A file written piece by piece into a hidden temp file beside it, so memory stays flat however
 * long it grows; `commit` fsyncs it and renames it into place, `discard` removes it. Until then
 * nothing is under the final name.
 */
export class AtomicFileWriter {
  private pending: string[] = [];
  private pendingLength = 0;

  private constructor(
    readonly file: string,
    private readonly temp: string,
    private readonly handle: fs.FileHandle,
  ) {}

  static async open(file: string, mode = 0o644): Promise<AtomicFileWriter> {
    const temp = tempPathFor(file);
    return new AtomicFileWriter(file, temp, await fs.open(temp, 'wx', mode));
  }

  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_AT) await this.flush();
  }

  async commit(): Promise<void> {
    try {
      await this.flush();
      await this.handle.sync();
    } catch (err) {
      await this.discard();
      throw err;
    }
    await this.handle.close();
    try {
      await fs.rename(this.temp, this.file);
    } catch (err) {
      await fs.rm(this.temp, { force: true });
      throw err;
    }
    await syncDir(path.dirname(this.file));
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await fs.rm(this.temp, { force: true });
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingLength = 0;
    await this.handle.writeFile(bytes);
  }
}

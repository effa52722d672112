import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { BundleVolume } from '../../shared/bundle.js';
import { syncDir } from '../util/atomic.js';

const WRITE_BUFFER = 8 * 1024 * 1024;
/**
 * Flush to the medium as we go, not all at the end: the disk then works while the next chunks are
 * hashed, and progress reflects bytes on the medium rather than in the page cache (a USB stick can
 * otherwise sit at "100%" for minutes). At most MAX_UNFLUSHED bytes wait for the medium.
 */
const FLUSH_EVERY = 64 * 1024 * 1024;
const MAX_UNFLUSHED = 512 * 1024 * 1024;

export function volumeFileNames(name: string, tarSize: number, volumeSize: number): string[] {
  const count = Math.max(1, Math.ceil(tarSize / volumeSize));
  const digits = Math.max(3, String(count).length);
  return Array.from({ length: count }, (_, i) => `${name}.tar.${String(i + 1).padStart(digits, '0')}`);
}

/** The hidden name a volume has while it is being written; renamed only when every volume is done. */
export function partialName(file: string): string {
  return `.${file}.ferry.partial`;
}

interface OpenVolume {
  file: string;
  fd: number;
  stream: fs.WriteStream;
  hash: Hash;
  written: number;
  /** Bytes written but not yet covered by a completed fdatasync. */
  unflushed: number;
  flushing: Promise<void> | undefined;
}

function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/**
 * Receives the tar stream and cuts it into volume files of exactly `volumeSize` bytes (the last
 * one shorter), hashing each as it goes. Writes are queued up to a bound so hashing the next
 * chunk overlaps the disk write of the previous one; memory stays flat whatever the size.
 */
export class VolumeWriter {
  private readonly files: string[];
  private current: OpenVolume | undefined;
  private index = 0;
  private readonly done: BundleVolume[];
  private readonly onVolume: ((done: readonly BundleVolume[]) => Promise<void>) | undefined;

  /**
   * `kept`: the first volumes, already written and checked by an earlier run; writing continues
   * with the next one. `onVolume` runs after each volume is flushed, fsynced and closed.
   */
  constructor(
    private readonly dir: string,
    name: string,
    tarSize: number,
    private readonly volumeSize: number,
    opts: { kept?: readonly BundleVolume[]; onVolume?: (done: readonly BundleVolume[]) => Promise<void> } = {},
  ) {
    this.files = volumeFileNames(name, tarSize, volumeSize);
    this.done = [...(opts.kept ?? [])];
    this.index = this.done.length;
    this.onVolume = opts.onVolume;
  }

  get fileNames(): readonly string[] {
    return this.files;
  }

  async write(chunk: Buffer): Promise<void> {
    let rest = chunk;
    while (rest.length > 0) {
      const volume = this.current ?? (await this.openNext());
      const room = this.volumeSize - volume.written;
      const piece = rest.length <= room ? rest : rest.subarray(0, room);
      rest = rest.length <= room ? Buffer.alloc(0) : rest.subarray(room);
      volume.hash.update(piece);
      volume.written += piece.length;
      volume.unflushed += piece.length;
      if (!volume.stream.write(piece)) await once(volume.stream, 'drain');
      await this.flushAsWeGo(volume);
      if (volume.written === this.volumeSize) await this.closeCurrent();
    }
  }

  /** Flushes and fsyncs the last volume, then renames every volume to its final name. */
  async finish(): Promise<BundleVolume[]> {
    if (this.current) await this.closeCurrent();
    if (this.done.length !== this.files.length) {
      throw new Error(`internal: wrote ${this.done.length} volumes, planned ${this.files.length}`);
    }
    for (const volume of this.done) await fsp.rename(path.join(this.dir, partialName(volume.file)), path.join(this.dir, volume.file));
    await syncDir(this.dir);
    return this.done;
  }

  /** Removes everything this writer created, and the volumes it was given to keep. */
  async abort(): Promise<void> {
    await this.closeUnfinished();
    for (const file of this.files) {
      await fsp.rm(path.join(this.dir, partialName(file)), { force: true });
      if (this.done.length === this.files.length) await fsp.rm(path.join(this.dir, file), { force: true });
    }
  }

  /**
   * Stops for a pause: lets the flush in flight finish, removes the volume being written, and keeps
   * the complete ones for the next run. Returns how many are kept.
   */
  async stop(): Promise<number> {
    const current = this.current;
    await this.closeUnfinished();
    if (current) await fsp.rm(path.join(this.dir, partialName(current.file)), { force: true });
    return this.done.length;
  }

  private async closeUnfinished(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current && !current.stream.closed) {
      // destroy() closes the fd itself, even with autoClose off, once any write in flight is done.
      // Closing it here as well raced that close: an EBADF 'error' nobody listened to crashed the
      // worker on Cancel, and a reused fd number could have been closed under someone else.
      // Writes still buffered fail with ERR_STREAM_DESTROYED: expected here, and not the error to report
      // (events.once would reject on it and turn a Cancel into a failure).
      current.stream.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => current.stream.once('close', () => resolve()));
      await current.flushing?.catch(() => undefined);
      current.stream.destroy();
      await closed;
    }
  }

  private async flushAsWeGo(volume: OpenVolume): Promise<void> {
    if (volume.flushing && volume.unflushed >= MAX_UNFLUSHED) await volume.flushing;
    if (volume.flushing || volume.unflushed < FLUSH_EVERY) return;
    const covered = volume.unflushed;
    volume.flushing = fdatasync(volume.fd).then(() => {
      volume.unflushed -= covered;
      volume.flushing = undefined;
    });
    // A failed flush surfaces at the final fsync; don't let it go unhandled meanwhile.
    volume.flushing.catch(() => undefined);
  }

  private async openNext(): Promise<OpenVolume> {
    const file = this.files[this.index++];
    if (!file) throw new Error('internal: the tar stream is longer than planned');
    const fd = await new Promise<number>((resolve, reject) =>
      fs.open(path.join(this.dir, partialName(file)), 'w', 0o644, (err, fd) => (err ? reject(err) : resolve(fd))),
    );
    const stream = fs.createWriteStream('', { fd, autoClose: false, highWaterMark: WRITE_BUFFER });
    this.current = { file, fd, stream, hash: createHash('sha256'), written: 0, unflushed: 0, flushing: undefined };
    return this.current;
  }

  private async closeCurrent(): Promise<void> {
    const volume = this.current!;
    this.current = undefined;
    volume.stream.end();
    await once(volume.stream, 'finish');
    await volume.flushing?.catch(() => undefined);
    await new Promise<void>((resolve, reject) => fs.fsync(volume.fd, (err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve, reject) => fs.close(volume.fd, (err) => (err ? reject(err) : resolve())));
    this.done.push({ file: volume.file, size: volume.written, sha256: volume.hash.digest('hex') });
    await this.onVolume?.(this.done);
  }
}

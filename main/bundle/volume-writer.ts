import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { BundleVolume } from '../../shared/bundle.js';
import { syncDir } from '../util/atomic.js';
import { writeFailure } from '../util/errors.js';
import { FlushBehind } from '../util/flush-behind.js';
import { ParallelHasher } from '../util/parallel-hasher.js';

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
  /** Its session on the volume hashing thread. */
  hash: number;
  written: number;
  flush: FlushBehind;
  /** The last piece's write and hash, still in flight; a volume is closed only after them. */
  writing: Promise<unknown> | undefined;
  /** The bytes of that piece: counted towards the next flush once they are written. */
  writingBytes: number;
}

function closeFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.close(fd, (err) => (err ? reject(err) : resolve())));
}

function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

/** Opened for writing, made or emptied, but never through a link planted under a volume's name (O_NOFOLLOW where the OS has it). */
const WRITE_NO_LINK = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | (fs.constants.O_NOFOLLOW ?? 0);

/** Writes all of `bytes` at `position` of `fd`. */
async function writeAll(fd: number, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    done += await new Promise<number>((resolve, reject) =>
      fs.write(fd, bytes, done, bytes.length - done, position + done, (err, n) => (err ? reject(err) : resolve(n))),
    );
  }
}

/**
 * Receives the tar stream and cuts it into volume files of exactly `volumeSize` bytes (the last
 * one shorter), hashing each as it goes on a thread of its own while the disk takes the bytes.
 * Nothing is buffered here; memory stays flat whatever the size.
 */
export class VolumeWriter {
  private readonly files: string[];
  private current: OpenVolume | undefined;
  private index = 0;
  private readonly done: BundleVolume[];
  private readonly onVolume: ((done: readonly BundleVolume[]) => Promise<void>) | undefined;
  private hasher: ParallelHasher | undefined;

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

  /** The phase a person reads: "Writing volume 3 of 12". */
  describe(): string {
    const at = Math.min(this.files.length, this.current ? this.index : this.done.length + 1);
    return `Writing volume ${at} of ${this.files.length}`;
  }

  /**
   * Starts writing and hashing `chunk`, and resolves once the chunk before it is in the volume
   * files: one chunk is written while the caller reads and hashes the next. So `chunk` must stay
   * unchanged until the next write (or finish) resolves; readThroughRing's chunks do.
   */
  async write(chunk: Uint8Array): Promise<void> {
    let rest = chunk;
    while (rest.length > 0) {
      const volume = this.current ?? (await this.openNext());
      const room = this.volumeSize - volume.written;
      const piece = rest.length <= room ? rest : rest.subarray(0, room);
      rest = rest.subarray(piece.length);
      const [previous, previousBytes] = [volume.writing, volume.writingBytes];
      volume.writing = Promise.all([this.onDisk(volume.file, writeAll(volume.fd, piece, volume.written)), this.hasher!.update(volume.hash, piece)]);
      volume.writing.catch(() => undefined); // awaited by the next write, or before the volume is closed
      volume.writingBytes = piece.length;
      volume.written += piece.length;
      await previous;
      await volume.flush.wrote(previousBytes);
      if (volume.written === this.volumeSize) await this.closeCurrent();
    }
  }

  /** Flushes and fsyncs the last volume, then renames every volume to its final name. */
  async finish(): Promise<BundleVolume[]> {
    if (this.current) await this.closeCurrent();
    if (this.done.length !== this.files.length) {
      throw new Error(`internal: wrote ${this.done.length} volumes, planned ${this.files.length}`);
    }
    await this.closeHasher();
    for (const volume of this.done) await fsp.rename(path.join(this.dir, partialName(volume.file)), path.join(this.dir, volume.file));
    await syncDir(this.dir);
    return this.done;
  }

  /** Removes everything this writer created, and the volumes it was given to keep. */
  async abort(): Promise<void> {
    await this.closeUnfinished();
    await this.closeHasher();
    for (const file of this.files) {
      await fsp.rm(path.join(this.dir, partialName(file)), { force: true });
      if (this.done.length === this.files.length) await fsp.rm(path.join(this.dir, file), { force: true });
    }
  }

  /** Volumes written, fsynced, closed and hashed so far (the kept ones included). */
  get completedVolumes(): number {
    return this.done.length;
  }

  /**
   * Stops for a pause or a failure: lets the flush in flight finish, removes the volume being written, and keeps
   * the complete ones for the next run. Returns how many are kept.
   */
  async stop(): Promise<number> {
    const current = this.current;
    await this.closeUnfinished();
    await this.closeHasher();
    if (current) await fsp.rm(path.join(this.dir, partialName(current.file)), { force: true });
    return this.done.length;
  }

  private async closeUnfinished(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (!current) return;
    // The fd is closed only once the write and flush in flight are done with it: closing it under
    // them could close a reused fd number that belongs to someone else by then.
    await current.writing?.catch(() => undefined);
    await current.flush.settled();
    await closeFd(current.fd);
  }

  private failed(err: unknown, file: string): unknown {
    return writeFailure(err, { folder: this.dir, item: `volume ${file}`, file: path.join(this.dir, partialName(file)) }, 'choose another destination');
  }

  /** A write or sync of volume `file`; its failure names the volume and the folder. */
  private async onDisk<T>(file: string, io: Promise<T>): Promise<T> {
    return io.catch((err: unknown) => {
      throw this.failed(err, file);
    });
  }

  private async closeHasher(): Promise<void> {
    const hasher = this.hasher;
    this.hasher = undefined;
    await hasher?.close();
  }

  private async openNext(): Promise<OpenVolume> {
    const file = this.files[this.index++];
    if (!file) throw new Error('internal: the tar stream is longer than planned');
    const fd = await new Promise<number>((resolve, reject) =>
      fs.open(path.join(this.dir, partialName(file)), WRITE_NO_LINK, 0o644, (err, fd) => (err ? reject(this.failed(err, file)) : resolve(fd))),
    );
    this.hasher ??= new ParallelHasher();
    const flush = new FlushBehind(() => this.onDisk(file, fdatasync(fd)));
    this.current = { file, fd, hash: this.hasher.begin(), written: 0, flush, writing: undefined, writingBytes: 0 };
    return this.current;
  }

  private async closeCurrent(): Promise<void> {
    const volume = this.current!;
    await volume.writing; // on a failed write the volume stays current, for abort to close
    this.current = undefined;
    await volume.flush.settled();
    await this.onDisk(volume.file, new Promise<void>((resolve, reject) => fs.fsync(volume.fd, (err) => (err ? reject(err) : resolve()))));
    await closeFd(volume.fd);
    this.done.push({ file: volume.file, size: volume.written, sha256: await this.hasher!.digest(volume.hash) });
    await this.onVolume?.(this.done);
  }
}

import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StreamToFileOptions {
  /** Sees every chunk, in order, as it arrives (e.g. a hash's update). */
  update(chunk: Buffer): void;
  /** The most bytes the stream may carry; one byte more and `tooLong()` is thrown, before that chunk is written. */
  maxBytes: number;
  tooLong(): Error;
  /** Runs once the stream has ended, before the file is synced, with the bytes received; throwing refuses the file (digest checks). */
  verify(bytes: number): void;
  signal?: AbortSignal | undefined;
  onBytes?: ((n: number) => void) | undefined;
}

// Sources often yield 16-64 KiB chunks; one awaited write each would leave the disk idle between
// them, so chunks are gathered into batches and one batch is written while the next is gathered.
const WRITE_BATCH_BYTES = 4 << 20;

async function writeAll(handle: fs.FileHandle, chunks: Buffer[]): Promise<void> {
  let rest = chunks;
  while (rest.length > 0) {
    const total = rest.reduce((sum, c) => sum + c.length, 0);
    const { bytesWritten } = await handle.writev(rest);
    if (bytesWritten === total) return;
    rest = [Buffer.concat(rest).subarray(bytesWritten)];
  }
}

/**
 * Creates `temp` (which must not exist) and streams `open()` into it, passing every chunk to
 * `update`, refusing a stream longer than `maxBytes`, then lets `verify` accept or refuse what
 * arrived; an accepted file is fsynced and closed. On any failure (a refusal, an abort, an I/O
 * error) the file is closed and removed. The caller names the temp file and renames it into place.
 */
export async function streamToNewFile(open: () => Promise<Readable>, temp: string, opts: StreamToFileOptions): Promise<void> {
  const handle = await fs.open(temp, 'wx', 0o644);
  let closed = false;
  try {
    let received = 0;
    await pipeline(
      await open(),
      async (chunks: AsyncIterable<Buffer>) => {
        let batch: Buffer[] = [];
        let batchBytes = 0;
        let writing: Promise<void> = Promise.resolve();
        try {
          for await (const chunk of chunks) {
            received += chunk.length;
            if (received > opts.maxBytes) throw opts.tooLong();
            opts.update(chunk);
            batch.push(chunk);
            batchBytes += chunk.length;
            if (batchBytes >= WRITE_BATCH_BYTES) {
              await writing;
              writing = writeAll(handle, batch);
              // Marked handled now: a write can fail while the next batch is still being read, and
              // is only awaited at the next batch; the await below still throws its error.
              writing.catch(() => undefined);
              batch = [];
              batchBytes = 0;
            }
            opts.onBytes?.(chunk.length);
          }
          await writing;
          if (batch.length > 0) await writeAll(handle, batch);
        } finally {
          await writing.catch(() => undefined); // never close the file under a write still running
        }
      },
      opts.signal ? { signal: opts.signal } : {},
    );
    opts.verify(received);
    await handle.sync();
    await handle.close();
    closed = true;
  } catch (err) {
    if (!closed) await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw err;
  }
}

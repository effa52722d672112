import fs from 'node:fs/promises';
import { FlushBehind } from '../util/flush-behind.js';
import type { BlobSink } from './staged.js';

/**
 * A blob written into a new temp file (which must not exist yet): each piece written in order,
 * flushed to the medium as it goes, fsynced and closed on `end`, removed on `abort`. The owner of
 * the sink renames it into place.
 */
export async function tempFileSink(temp: string, mode = 0o644, afterEnd?: (temp: string) => Promise<void>): Promise<BlobSink> {
  const handle = await fs.open(temp, 'wx', mode);
  let open = true;
  const flush = new FlushBehind(() => handle.datasync());
  const close = async () => {
    if (!open) return;
    open = false;
    await flush.settled();
    await handle.close();
  };
  return {
    async write(piece) {
      let offset = 0;
      while (offset < piece.length) offset += (await handle.write(piece, offset)).bytesWritten;
      await flush.wrote(piece.length);
    },
    async end() {
      await flush.settled();
      await handle.sync();
      await close();
      await afterEnd?.(temp);
    },
    async abort() {
      await close().catch(() => undefined);
      await fs.rm(temp, { force: true });
    },
  };
}

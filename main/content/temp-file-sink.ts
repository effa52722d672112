import fs from 'node:fs/promises';
import { FlushBehind } from '../util/flush-behind.js';
import { writeFailure } from '../util/errors.js';
import type { BlobSink } from './staged.js';

/** What a temp file becomes, for an error that says where it was going: "blob sha256:… of granite4.1:8b" in "/srv/ollama/models". */
export interface ImportTarget {
  folder: string;
  item: string;
}

/**
 * A blob written into a new temp file (which must not exist yet): each piece written in order,
 * flushed to the medium as it goes, fsynced and closed on `end`, removed on `abort`. The owner of
 * the sink renames it into place. A full or failing target is named with `target`.
 */
export async function tempFileSink(
  temp: string,
  target: ImportTarget,
  opts: { mode?: number; afterEnd?: (temp: string) => Promise<void> } = {},
): Promise<BlobSink> {
  const failed = (err: unknown) => {
    throw writeFailure(err, { ...target, file: temp }, 'choose another target');
  };
  const handle = await fs.open(temp, 'wx', opts.mode ?? 0o644).catch(failed);
  let open = true;
  const flush = new FlushBehind(() => handle.datasync().catch(failed));
  const close = async () => {
    if (!open) return;
    open = false;
    await flush.settled();
    await handle.close();
  };
  return {
    async write(piece) {
      let offset = 0;
      while (offset < piece.length) offset += (await handle.write(piece, offset).catch(failed)).bytesWritten;
      await flush.wrote(piece.length);
    },
    async end() {
      await flush.settled();
      await handle.sync().catch(failed);
      await close();
      await opts.afterEnd?.(temp);
    },
    async abort() {
      await close().catch(() => undefined);
      await fs.rm(temp, { force: true });
    },
  };
}

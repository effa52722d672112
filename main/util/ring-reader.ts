import fsp from 'node:fs/promises';

const SLOT_BYTES = 1024 * 1024;
const SLOTS = 4;

/**
 * Reads `length` bytes of `file` from `start` into the slots of one SharedArrayBuffer, up to three
 * reads ahead of the reader. No chunk is allocated, and a hashing thread can take a chunk without
 * a copy (ParallelHasher). A chunk yielded stays valid until the one after next is asked for (its
 * slot is then filled again), so a reader may still be writing or hashing one chunk while it
 * checks the next. A file shorter than asked ends the stream early (the caller counts bytes).
 */
export async function* readThroughRing(file: string, start: number, length: number): AsyncGenerator<Buffer> {
  if (length <= 0) return;
  // Sized to the range: a small file (many come in a Hugging Face repo or a folder of runbooks) gets a small ring.
  const slotBytes = Math.min(SLOT_BYTES, length);
  const slots = Math.min(SLOTS, Math.ceil(length / slotBytes) + 1);
  const ring = Buffer.from(new SharedArrayBuffer(slotBytes * slots));
  const handle = await fsp.open(file, 'r');
  const end = start + length;
  const reads: Promise<Buffer>[] = [];
  let next = start;
  let slot = 0;
  const readAhead = () => {
    while (reads.length < slots - 1 && next < end) {
      const want = Math.min(slotBytes, end - next);
      reads.push(fill(handle, ring.subarray(slot * slotBytes, slot * slotBytes + want), next));
      next += want;
      slot = (slot + 1) % slots;
    }
  };
  try {
    readAhead();
    while (reads.length > 0) {
      const chunk = await reads.shift()!;
      if (chunk.length === 0) return;
      yield chunk;
      readAhead();
    }
  } finally {
    // Reads still in flight must finish before the file is closed under them.
    await Promise.allSettled(reads);
    await handle.close();
  }
}

/** Fills `into` from `position`; shorter only at the end of the file. */
async function fill(handle: fsp.FileHandle, into: Buffer, position: number): Promise<Buffer> {
  let filled = 0;
  while (filled < into.length) {
    const { bytesRead } = await handle.read(into, filled, into.length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return into.subarray(0, filled);
}

import fs from 'node:fs';
import { readThroughRing } from '../util/ring-reader.js';

const READ_CHUNK = 1024 * 1024;

let bytesRead = 0;

/**
 * Every read of a volume file goes through here, so what an import costs in reads is measured,
 * not assumed (the tests and `bench:import` compare it with the bundle's size).
 */
export async function* readVolume(file: string, range?: { start: number; end: number }): AsyncGenerator<Buffer> {
  const stream = fs.createReadStream(file, { highWaterMark: READ_CHUNK, ...(range ? { start: range.start, end: range.end } : {}) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytesRead += chunk.length;
    yield chunk;
  }
}

/** Bytes read from volume files by this process so far. */
export function volumeBytesRead(): number {
  return bytesRead;
}

/**
 * A whole volume of `size` bytes through a shared ring (see readThroughRing): each chunk is valid
 * only until the next is asked for, and a hashing thread can take it without a copy.
 */
export async function* readVolumeThroughRing(file: string, size: number): AsyncGenerator<Buffer> {
  for await (const chunk of readThroughRing(file, 0, size)) {
    bytesRead += chunk.length;
    yield chunk;
  }
}

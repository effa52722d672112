import fs from 'node:fs';

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

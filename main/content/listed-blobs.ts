import type { Readable } from 'node:stream';
import type { ByteRange, Descriptor, ListedStore } from './store.js';

/** A store over a list of blobs (BUNDLE.json's, an export plan's); a digest listed twice keeps its first entry. */
export abstract class ListedBlobs<T extends Descriptor> implements ListedStore {
  private readonly listed = new Map<string, T>();

  constructor(blobs: Iterable<T>) {
    for (const blob of blobs) if (!this.listed.has(blob.digest)) this.listed.set(blob.digest, blob);
  }

  find(digest: string): Descriptor | undefined {
    const blob = this.listed.get(digest);
    return blob ? { digest: blob.digest, size: blob.size } : undefined;
  }

  abstract fetch(descriptor: Descriptor, range?: ByteRange): Readable;

  protected entry(digest: string): T | undefined {
    return this.listed.get(digest);
  }

  /** The bytes of `blob` to read: `range`, or all of it. */
  protected span(blob: T, range?: ByteRange): ByteRange {
    const { offset, length } = range ?? { offset: 0, length: blob.size };
    if (offset < 0 || length < 0 || offset + length > blob.size) {
      throw new Error(`internal: bytes ${offset} to ${offset + length} of blob ${blob.digest} lie outside its ${blob.size} bytes`);
    }
    return { offset, length };
  }
}

import { Readable } from 'node:stream';
import type { ByteRange, Descriptor, ListedStore } from '../content/store.js';

/** A blob a test hands an installer: what it claims to be, and the bytes it really serves (which may lie). */
export interface ServedBlob extends Descriptor {
  open(): Promise<Readable>;
}

/** A store serving the given blobs whole, as a bundle would, so tests can make it serve too much, too little or the wrong bytes. */
export function storeOf(blobs: readonly ServedBlob[]): ListedStore {
  const byDigest = new Map(blobs.map((b) => [b.digest, b]));
  return {
    find: (digest) => {
      const blob = byDigest.get(digest);
      return blob ? { digest: blob.digest, size: blob.size } : undefined;
    },
    fetch: (descriptor: Descriptor, range?: ByteRange) => {
      const blob = byDigest.get(descriptor.digest);
      if (!blob || range) throw new Error(`test store: cannot serve ${descriptor.digest}${range ? ' by range' : ''}`);
      return Readable.from(
        (async function* () {
          yield* (await blob.open()) as AsyncIterable<Buffer>;
        })(),
        { objectMode: false },
      );
    },
  };
}

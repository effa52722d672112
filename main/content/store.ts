import type { Readable } from 'node:stream';

/** What names a blob: the sha256 it hashes to and its length (as in an OCI descriptor). */
export interface Descriptor {
  digest: string;
  size: number;
  mediaType?: string;
}

/** `length` bytes of a blob from `offset`. */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Where blobs are read from: a bundle's volumes, a registry repository, files on this side.
 * `fetch` streams with backpressure and checks nothing: whoever writes the bytes somewhere hashes them.
 */
export interface ReadOnlyStore {
  fetch(descriptor: Descriptor, range?: ByteRange): Readable;
}

/** A store that knows which blobs it holds and their sizes without reading them (a bundle's BUNDLE.json). */
export interface ListedStore extends ReadOnlyStore {
  /** The blob as this store holds it, or undefined when it does not hold it. */
  find(digest: string): Descriptor | undefined;
}

/** Reads a small blob (a manifest) fully into memory. */
export async function fetchAll(store: ReadOnlyStore, descriptor: Descriptor): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of store.fetch(descriptor) as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

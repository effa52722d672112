import fs from 'node:fs';
import { Readable } from 'node:stream';
import { readThroughRing } from '../util/ring-reader.js';
import { ListedBlobs } from './listed-blobs.js';
import type { LocatedBlob, RegistryLocation } from './location.js';
import type { ByteRange, Descriptor, ReadOnlyStore } from './store.js';

const READ_CHUNK = 1024 * 1024;

/**
 * The sources of an export as one store: bytes in memory, files on this side (Ollama blobs, Hugging
 * Face blobs, plain files), and registry repositories through `registry` when the plan has any.
 */
export class SourceStore extends ListedBlobs<LocatedBlob> {
  constructor(
    blobs: Iterable<LocatedBlob>,
    private readonly registry?: (location: RegistryLocation) => ReadOnlyStore,
  ) {
    super(blobs);
  }

  fetch(descriptor: Descriptor, range?: ByteRange): Readable {
    const blob = this.entry(descriptor.digest);
    if (!blob) throw new Error(`internal: blob ${descriptor.digest} is not among the export's sources`);
    const { offset, length } = this.span(blob, range);
    const location = blob.source;
    if (location.kind === 'bytes') {
      const bytes = Buffer.from(location.bytes.buffer, location.bytes.byteOffset, location.bytes.byteLength);
      return Readable.from([bytes.subarray(offset, offset + length)], { objectMode: false });
    }
    if (location.kind === 'file') {
      if (length === 0) return Readable.from([], { objectMode: false });
      return fs.createReadStream(location.path, { start: offset, end: offset + length - 1, highWaterMark: READ_CHUNK });
    }
    if (!this.registry) throw new Error(`internal: no way to open registry blob ${descriptor.digest}`);
    return this.registry(location).fetch(descriptor, range);
  }

  /**
   * The blob's bytes for a reader that is done with each chunk before it asks for the next: a file
   * is read through a shared ring (no allocation per chunk, hashed elsewhere without a copy).
   */
  read(descriptor: Descriptor, range?: ByteRange): AsyncIterable<Buffer> {
    const blob = this.entry(descriptor.digest);
    if (blob?.source.kind !== 'file') return this.fetch(descriptor, range) as AsyncIterable<Buffer>;
    const { offset, length } = this.span(blob, range);
    return readThroughRing(blob.source.path, offset, length);
  }
}

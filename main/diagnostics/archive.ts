import { gzipSync } from 'node:zlib';
import { END_OF_ARCHIVE, fileHeader, paddingFor } from '../bundle/tar.js';

/** A few small files as one .tar.gz (GNU tar reads it): what a site hands to whoever supports it. */
export function tarGz(files: readonly { name: string; bytes: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(fileHeader(file.name, file.bytes.length), file.bytes, Buffer.alloc(paddingFor(file.bytes.length)));
  }
  parts.push(END_OF_ARCHIVE);
  return gzipSync(Buffer.concat(parts));
}

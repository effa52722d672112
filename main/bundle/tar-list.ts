import { createHash } from 'node:crypto';
import { StrictTarReader, type EntrySink, type TarEntry } from './tar-reader.js';

/** One regular file of a tar stream: its name, size and the sha256 (hex) of its data. */
export interface ListedEntry {
  name: string;
  size: number;
  sha256: string;
}

class TarLister extends StrictTarReader {
  readonly entries: ListedEntry[] = [];

  constructor(what: string) {
    super((finding, position) => `${what} is not a tar stream Ferry reads: ${finding} (at byte ${position}).`);
  }

  protected onEntry({ name, size }: TarEntry): EntrySink {
    const hash = createHash('sha256');
    return {
      data: (piece) => hash.update(piece),
      end: () => this.entries.push({ name, size, sha256: hash.digest('hex') }),
    };
  }
}

/**
 * Lists a tar stream with the same strict walk the verifier uses (StrictTarReader), or throws
 * INTEGRITY saying what it refused. `what` names the stream in the error (a file, "the bundle's volumes").
 */
export async function listTar(source: Buffer | AsyncIterable<Buffer>, what: string): Promise<ListedEntry[]> {
  const lister = new TarLister(what);
  if (Buffer.isBuffer(source)) lister.feed(source);
  else for await (const chunk of source) lister.feed(chunk);
  lister.end();
  return lister.entries;
}

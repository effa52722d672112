import { createHash } from 'node:crypto';
import { MAX_MANIFEST_BYTES, type BundleIndex } from '../../shared/bundle.js';
import { FerryError } from '../util/errors.js';
import { BlobHasher } from '../util/hash-file.js';
import { blobEntryName, OCI_LAYOUT } from './plan.js';
import { BLOCK, parseHeader, parsePaxRecords, paddingFor } from './tar.js';

/** Manifests and index.json are small; anything claiming more is refused before it is buffered. */
const MAX_PAX = 64 * 1024;

/** What each non-regular tar type flag is, so a refusal says which kind of entry it met. */
const TYPE_NAMES: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '5': 'a directory',
  '6': 'a FIFO',
  '7': 'a contiguous file',
  g: 'a global pax header',
  L: 'a GNU long name',
  K: 'a GNU long link name',
};

/** Why a path from the stream could land outside wherever it were extracted, or undefined. */
function unsafePath(name: string): string | undefined {
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return 'has an absolute path';
  if (name.split(/[/\\]/).includes('..')) return 'has a ".." path part';
  return undefined;
}

interface ExpectedEntry {
  name: string;
  size?: number;
  offset?: number;
  digest?: string;
  keep: boolean;
}

type State =
  | { kind: 'header' }
  | { kind: 'pax'; remaining: number; padding: number; chunks: Buffer[] }
  | { kind: 'data'; entry: ExpectedEntry; remaining: number; padding: number; hash?: BlobHasher; chunks?: Buffer[] }
  | { kind: 'padding'; remaining: number }
  | { kind: 'trailer' };

/** A blob's second name, when some artifact names it by one: the git blob sha1 of a Hugging Face file kept in git. */
export interface GitSha1Expectation {
  etag: string;
  /** The file it belongs to, for the refusal: `config.json of acme/tiny@<commit>`. */
  what: string;
}

/**
 * Reads the tar stream as it goes by and insists that it is exactly what BUNDLE.json describes:
 * oci-layout, the listed blobs at their listed offsets and sizes, index.json last, then zeros.
 * Links, devices, `..`, absolute paths, duplicates and unexpected pax keys are all refused, because
 * nothing but the listed regular files is expected. With `deep`, every blob is hashed too.
 */
export class TarChecker {
  private state: State = { kind: 'header' };
  private position = 0;
  private headerBuffer = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private paxSize: number | undefined;
  private next = 0;
  private readonly expected: ExpectedEntry[];
  /** Every entry name met so far: a second entry of the same name is refused, whatever it holds. */
  private readonly seen = new Set<string>();
  /** Contents of oci-layout, index.json and the artifact manifests, by entry name. */
  readonly kept = new Map<string, Buffer>();

  constructor(
    private readonly index: BundleIndex,
    private readonly deep: boolean,
    /** With `deep`: blobs that must also hash to a git sha1 (Hugging Face etags), by digest. */
    private readonly gitSha1 = new Map<string, GitSha1Expectation>(),
  ) {
    const manifestDigests = new Set(index.artifacts.map((a) => a.digest));
    const blobs = [...index.blobs].sort((a, b) => a.offset - b.offset);
    this.expected = [
      { name: 'oci-layout', size: OCI_LAYOUT.length, keep: true },
      ...blobs.map((b) => ({ name: blobEntryName(b.digest), size: b.size, offset: b.offset, digest: b.digest, keep: manifestDigests.has(b.digest) })),
      { name: 'index.json', keep: true },
    ];
  }

  private fail(message: string, details: Record<string, unknown> = {}): never {
    throw new FerryError(
      'INTEGRITY',
      `The bundle's tar stream is not what BUNDLE.json describes: ${message} (at byte ${this.position}). If every volume matches SHA256SUMS, the bundle was built wrong: ask the exporting site to export it again.`,
      { offset: this.position, ...details },
    );
  }

  feed(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const state = this.state;
      switch (state.kind) {
        case 'header': {
          const take = Math.min(BLOCK - this.headerFill, chunk.length - pos);
          chunk.copy(this.headerBuffer, this.headerFill, pos, pos + take);
          this.headerFill += take;
          pos += take;
          this.position += take;
          if (this.headerFill === BLOCK) {
            this.headerFill = 0;
            this.onHeader(this.headerBuffer);
          }
          break;
        }
        case 'pax': {
          const take = Math.min(state.remaining, chunk.length - pos);
          state.chunks.push(Buffer.from(chunk.subarray(pos, pos + take)));
          state.remaining -= take;
          pos += take;
          this.position += take;
          if (state.remaining === 0) {
            const records = parsePaxRecordsOrFail(Buffer.concat(state.chunks), (m) => this.fail(m));
            for (const [key, value] of records) {
              const unsafe = key === 'path' || key === 'linkpath' ? unsafePath(value) : undefined;
              if (unsafe) this.fail(`pax ${key} ${JSON.stringify(value)} ${unsafe}`, { entry: value });
              if (key !== 'size') this.fail(`unexpected pax record "${key}"`);
            }
            const size = Number(records.get('size'));
            if (records.has('size') && (!Number.isSafeInteger(size) || size < 0)) this.fail('a pax size that is not a number');
            this.paxSize = records.has('size') ? size : undefined;
            this.state = state.padding ? { kind: 'padding', remaining: state.padding } : { kind: 'header' };
          }
          break;
        }
        case 'data': {
          const take = Math.min(state.remaining, chunk.length - pos);
          const piece = chunk.subarray(pos, pos + take);
          state.hash?.update(piece);
          state.chunks?.push(Buffer.from(piece));
          state.remaining -= take;
          pos += take;
          this.position += take;
          if (state.remaining === 0) {
            this.onEntryData(state);
            this.state = state.padding ? { kind: 'padding', remaining: state.padding } : { kind: 'header' };
          }
          break;
        }
        case 'padding': {
          const take = Math.min(state.remaining, chunk.length - pos);
          for (let i = pos; i < pos + take; i++) if (chunk[i] !== 0) this.fail('non-zero padding');
          state.remaining -= take;
          pos += take;
          this.position += take;
          if (state.remaining === 0) this.state = { kind: 'header' };
          break;
        }
        case 'trailer': {
          for (let i = pos; i < chunk.length; i++) if (chunk[i] !== 0) this.fail('data after the end of the archive');
          this.position += chunk.length - pos;
          pos = chunk.length;
          break;
        }
      }
    }
  }

  /** Call after the last byte: the stream must have ended cleanly after index.json. */
  end(): void {
    if (this.state.kind !== 'trailer') this.fail('the stream ended early (truncated)');
    if (this.position !== this.index.tar.size) this.fail(`the stream is ${this.position} bytes, BUNDLE.json says ${this.index.tar.size}`);
    if (this.position < this.trailerStart + 2 * BLOCK) this.fail('the end-of-archive marker is missing');
  }

  private trailerStart = 0;

  private onHeader(block: Buffer): void {
    let header;
    try {
      header = parseHeader(block);
    } catch (err) {
      this.fail((err as Error).message);
    }
    if (header === null) {
      if (this.next !== this.expected.length) this.fail(`the archive ends before ${this.expected[this.next]!.name}`);
      if (this.paxSize !== undefined) this.fail('a pax header with no entry after it');
      this.trailerStart = this.position - BLOCK;
      this.state = { kind: 'trailer' };
      return;
    }
    if (header.typeflag === 'x') {
      if (this.paxSize !== undefined) this.fail('two pax headers in a row');
      if (header.size > MAX_PAX) this.fail(`a pax header of ${header.size} bytes`);
      this.state = { kind: 'pax', remaining: header.size, padding: paddingFor(header.size), chunks: [] };
      if (header.size === 0) this.fail('an empty pax header');
      return;
    }
    // Refused by name and kind before anything else, so the refusal says what the entry is.
    const unsafe = unsafePath(header.name);
    if (unsafe) this.fail(`entry ${JSON.stringify(header.name)} ${unsafe}`, { entry: header.name });
    if (header.typeflag !== '0') {
      const kind = TYPE_NAMES[header.typeflag] ?? `of type ${JSON.stringify(header.typeflag)}`;
      const target = header.linkname ? ` (to ${JSON.stringify(header.linkname)})` : '';
      this.fail(`entry ${JSON.stringify(header.name)} is ${kind}${target}, not a regular file`, { entry: header.name });
    }
    if (this.seen.has(header.name)) this.fail(`entry ${JSON.stringify(header.name)} appears twice (a later copy would replace the checked one when extracted)`, { entry: header.name });
    this.seen.add(header.name);
    const expected = this.expected[this.next];
    if (!expected) this.fail(`unexpected entry "${header.name}" after index.json`, { entry: header.name });
    if (header.name !== expected.name) this.fail(`found entry "${header.name}" where "${expected.name}" belongs`, { entry: header.name });
    const size = this.paxSize ?? header.size;
    this.paxSize = undefined;
    if (expected.size !== undefined && size !== expected.size) this.fail(`entry "${header.name}" holds ${size} bytes, BUNDLE.json says ${expected.size}`, { entry: header.name });
    if (expected.offset !== undefined && this.position !== expected.offset) this.fail(`blob ${expected.digest} starts at ${this.position}, BUNDLE.json says ${expected.offset}`, { blob: expected.digest });
    if (this.position + size > this.index.tar.size) this.fail(`entry "${header.name}" claims ${size} bytes, more than the volumes hold`, { entry: header.name });
    if (expected.keep && size > MAX_MANIFEST_BYTES) this.fail(`entry "${header.name}" is ${size} bytes, too large for a manifest`, { entry: header.name });
    this.next++;
    const state: State = {
      kind: 'data',
      entry: { ...expected, size },
      remaining: size,
      padding: paddingFor(size),
      ...(this.deep && expected.digest ? { hash: new BlobHasher(size, this.gitSha1.has(expected.digest)) } : {}),
      ...(expected.keep ? { chunks: [] } : {}),
    };
    if (size === 0) {
      this.onEntryData(state);
      this.state = { kind: 'header' };
    } else this.state = state;
  }

  private onEntryData(state: Extract<State, { kind: 'data' }>): void {
    if (state.hash && state.entry.digest) {
      const hashes = state.hash.digest();
      const actual = `sha256:${hashes.sha256}`;
      if (actual !== state.entry.digest) this.fail(`blob ${state.entry.digest} does not match its digest (content hashes to ${actual})`, { blob: state.entry.digest });
      const etag = this.gitSha1.get(state.entry.digest);
      if (etag && hashes.gitSha1 !== etag.etag) {
        this.fail(`${etag.what} has etag ${etag.etag}, but its bytes (blob ${state.entry.digest}) have the git sha1 ${hashes.gitSha1}`, { blob: state.entry.digest, etag: etag.etag });
      }
    }
    if (!state.chunks) return;
    const bytes = Buffer.concat(state.chunks);
    if (state.entry.digest) {
      const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (actual !== state.entry.digest) this.fail(`manifest ${state.entry.digest} does not match its digest`, { blob: state.entry.digest });
    }
    if (state.entry.name === 'oci-layout' && !bytes.equals(OCI_LAYOUT)) this.fail('oci-layout is not {"imageLayoutVersion":"1.0.0"}');
    this.kept.set(state.entry.name, bytes);
  }
}

function parsePaxRecordsOrFail(data: Buffer, fail: (message: string) => never): Map<string, string> {
  try {
    return parsePaxRecords(data);
  } catch (err) {
    return fail((err as Error).message);
  }
}

import { createHash } from 'node:crypto';
import { MAX_MANIFEST_BYTES, type BundleIndex } from '../../shared/bundle.js';
import { BlobHasher } from '../util/hash-file.js';
import { blobEntryName, OCI_LAYOUT } from './plan.js';
import { StrictTarReader, type EntrySink, type TarEntry } from './tar-reader.js';

interface ExpectedEntry {
  name: string;
  size?: number;
  offset?: number;
  digest?: string;
  keep: boolean;
}

/** A blob's second name, when some artifact names it by one: the git blob sha1 of a Hugging Face file kept in git. */
export interface GitSha1Expectation {
  etag: string;
  /** The file it belongs to, for the refusal: `config.json of acme/tiny@<commit>`. */
  what: string;
}

/** A blob's bytes as the checker sees them go by: `end` comes only after its digest (and etag) matched. */
export type BlobEvent = { type: 'start'; digest: string } | { type: 'data'; digest: string; piece: Buffer } | { type: 'end'; digest: string };

/**
 * Reads the tar stream as it goes by and insists that it is exactly what BUNDLE.json describes:
 * oci-layout, the listed blobs at their listed offsets and sizes, index.json last, then zeros.
 * The strict walk (StrictTarReader) already refuses links, devices, `..`, absolute paths,
 * duplicates and unexpected pax keys. With `deep`, every blob is hashed too.
 */
export class TarChecker extends StrictTarReader {
  private next = 0;
  private readonly expected: ExpectedEntry[];
  /** Contents of oci-layout, index.json and the artifact manifests, by entry name. */
  readonly kept = new Map<string, Buffer>();

  constructor(
    private readonly index: BundleIndex,
    private readonly deep: boolean,
    /** With `deep`: blobs that must also hash to a git sha1 (Hugging Face etags), by digest. */
    private readonly gitSha1 = new Map<string, GitSha1Expectation>(),
    /** Sees every blob's bytes, so they can go to their targets in the same read (needs `deep`). */
    private readonly observe?: (event: BlobEvent) => void,
  ) {
    super(
      (finding, position) =>
        `The bundle's tar stream is not what BUNDLE.json describes: ${finding} (at byte ${position}). If every volume matches SHA256SUMS, the bundle was built wrong: ask the exporting site to export it again.`,
    );
    const manifestDigests = new Set(index.artifacts.map((a) => a.digest));
    const blobs = [...index.blobs].sort((a, b) => a.offset - b.offset);
    this.expected = [
      { name: 'oci-layout', size: OCI_LAYOUT.length, keep: true },
      ...blobs.map((b) => ({ name: blobEntryName(b.digest), size: b.size, offset: b.offset, digest: b.digest, keep: manifestDigests.has(b.digest) })),
      { name: 'index.json', keep: true },
    ];
  }

  /** Call after the last byte: the stream must have ended cleanly after index.json. */
  override end(): void {
    super.end();
    if (this.position !== this.index.tar.size) this.fail(`the stream is ${this.position} bytes, BUNDLE.json says ${this.index.tar.size}`);
  }

  protected override onArchiveEnd(): void {
    if (this.next !== this.expected.length) this.fail(`the archive ends before ${this.expected[this.next]!.name}`);
  }

  protected onEntry({ name, size, dataOffset }: TarEntry): EntrySink {
    const expected = this.expected[this.next];
    if (!expected) this.fail(`unexpected entry "${name}" after index.json`, { entry: name });
    if (name !== expected.name) this.fail(`found entry "${name}" where "${expected.name}" belongs`, { entry: name });
    if (expected.size !== undefined && size !== expected.size)
      this.fail(`entry "${name}" holds ${size} bytes, BUNDLE.json says ${expected.size}`, { entry: name });
    if (expected.offset !== undefined && dataOffset !== expected.offset)
      this.fail(`blob ${expected.digest} starts at ${dataOffset}, BUNDLE.json says ${expected.offset}`, { blob: expected.digest });
    if (dataOffset + size > this.index.tar.size) this.fail(`entry "${name}" claims ${size} bytes, more than the volumes hold`, { entry: name });
    if (expected.keep && size > MAX_MANIFEST_BYTES) this.fail(`entry "${name}" is ${size} bytes, too large for a manifest`, { entry: name });
    this.next++;
    const hash = this.deep && expected.digest ? new BlobHasher(size, this.gitSha1.has(expected.digest)) : undefined;
    const chunks: Buffer[] | undefined = expected.keep ? [] : undefined;
    const digest = expected.digest;
    const observe = this.deep && digest ? this.observe : undefined;
    observe?.({ type: 'start', digest: digest! });
    return {
      data: (piece) => {
        hash?.update(piece);
        chunks?.push(Buffer.from(piece));
        observe?.({ type: 'data', digest: digest!, piece });
      },
      end: () => {
        this.onEntryData(expected, hash, chunks);
        observe?.({ type: 'end', digest: digest! });
      },
    };
  }

  private onEntryData(entry: ExpectedEntry, hash: BlobHasher | undefined, chunks: Buffer[] | undefined): void {
    if (hash && entry.digest) {
      const hashes = hash.digest();
      const actual = `sha256:${hashes.sha256}`;
      if (actual !== entry.digest) this.fail(`blob ${entry.digest} does not match its digest (content hashes to ${actual})`, { blob: entry.digest });
      const etag = this.gitSha1.get(entry.digest);
      if (etag && hashes.gitSha1 !== etag.etag) {
        this.fail(`${etag.what} has etag ${etag.etag}, but its bytes (blob ${entry.digest}) have the git sha1 ${hashes.gitSha1}`, {
          blob: entry.digest,
          etag: etag.etag,
        });
      }
    }
    if (!chunks) return;
    const bytes = Buffer.concat(chunks);
    if (entry.digest) {
      const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (actual !== entry.digest) this.fail(`manifest ${entry.digest} does not match its digest`, { blob: entry.digest });
    }
    if (entry.name === 'oci-layout' && !bytes.equals(OCI_LAYOUT)) this.fail('oci-layout is not {"imageLayoutVersion":"1.0.0"}');
    this.kept.set(entry.name, bytes);
  }
}

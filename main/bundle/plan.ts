import { createHash } from 'node:crypto';
import { MAX_MANIFEST_BYTES, type ArtifactKind, type BundleArtifact, type BundleBlob } from '../../shared/bundle.js';
import type { BlobLocation, LocatedBlob } from '../content/location.js';
import { canonicalJson } from '../util/canonical-json.js';
import { FerryError } from '../util/errors.js';
import { END_OF_ARCHIVE, entrySpan } from './tar.js';

/** A blob an artifact builder found, where its bytes are, and what it belongs to. */
export interface BlobInput extends LocatedBlob {
  /** Names what the blob belongs to in errors, e.g. `model granite4.1:8b`. */
  owner: string;
}

export interface ArtifactInput {
  kind: ArtifactKind;
  ref: string;
  mediaType: string;
  /** The manifest exactly as found at the source; its sha256 is the artifact digest. */
  manifest: Uint8Array;
  /** Every blob the manifest names (config and layers), manifest excluded. */
  blobs: BlobInput[];
  facts: Omit<BundleArtifact, 'kind' | 'ref' | 'mediaType' | 'digest' | 'size' | 'contentSize'>;
  /** The licences the source states (content/licences.ts), for the ledger and the transfer form; never in BUNDLE.json. */
  licences?: string[];
}

export interface PlannedEntry {
  name: string;
  size: number;
  /** Where the entry's data starts in the tar stream. */
  dataOffset: number;
  source: BlobLocation;
  /** Set for blobs: the sha256 the bytes must hash to while they stream. */
  digest?: string;
  owner: string;
}

export interface BundlePlan {
  entries: PlannedEntry[];
  tarSize: number;
  artifacts: BundleArtifact[];
  /** Each artifact's stated licences, in the order of `artifacts` (undefined: the source states none). */
  licences: (string[] | undefined)[];
  blobs: BundleBlob[];
  /** What the export carried on without (a signature that could not be fetched), said to the user and recorded. */
  warnings?: string[];
}

export const OCI_LAYOUT = Buffer.from('{"imageLayoutVersion":"1.0.0"}');

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * What an artifact builder does for a file whose digest it must learn: `hash` reads it; `sizes`
 * (export.estimate) takes standInDigest instead, so a 300 MB file costs a stat, not a read.
 */
export type DigestMode = 'hash' | 'sizes';

/**
 * A digest for `file` that is not its content's: as long as a real one and unique per path, so a
 * plan made with it has the real plan's layout and byte count. Only identical contents under two
 * paths differ: the real plan carries them once, this one twice (an estimate errs on the safe side).
 */
export function standInDigest(file: string): string {
  return sha256Digest(Buffer.from(`ferry stand-in digest\0${file}`, 'utf8'));
}

export function blobEntryName(digest: string): string {
  return `blobs/sha256/${digest.slice('sha256:'.length)}`;
}

function ociIndex(artifacts: readonly BundleArtifact[]): Buffer {
  return Buffer.from(
    canonicalJson({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: artifacts.map((a) => ({
        mediaType: a.mediaType,
        digest: a.digest,
        size: a.size,
        annotations: { 'org.opencontainers.image.ref.name': a.ref, 'io.ferry.kind': a.kind },
      })),
    }),
  );
}

/**
 * Lays out the tar stream before a byte is written: oci-layout, each distinct blob once, index.json
 * last. Artifacts are sorted by ref so the same selection gives the same volumes in any order.
 */
export function planBundle(inputs: readonly ArtifactInput[]): BundlePlan {
  const sorted = [...inputs].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  const artifacts: BundleArtifact[] = [];
  const licences: (string[] | undefined)[] = [];
  const blobsInOrder: BlobInput[] = [];
  const seen = new Map<string, BlobInput>();
  const seenRefs = new Set<string>();
  const addBlob = (blob: BlobInput) => {
    const prior = seen.get(blob.digest);
    if (prior) {
      if (prior.size !== blob.size) {
        throw new FerryError('INTEGRITY', `Blob ${blob.digest} has size ${blob.size} in ${blob.owner} but ${prior.size} in ${prior.owner}.`, {
          blob: blob.digest,
        });
      }
      return;
    }
    seen.set(blob.digest, blob);
    blobsInOrder.push(blob);
  };
  for (const input of sorted) {
    const key = `${input.kind} ${input.ref}`;
    if (seenRefs.has(key)) throw new FerryError('USAGE', `${input.ref} is selected twice.`, { ref: input.ref });
    seenRefs.add(key);
    if (input.manifest.length > MAX_MANIFEST_BYTES) {
      throw new FerryError(
        'INVALID_INPUT',
        `The manifest of ${input.ref} is ${input.manifest.length} bytes; a bundle carries manifests up to ${MAX_MANIFEST_BYTES} bytes.`,
        { reference: input.ref },
      );
    }
    const digest = sha256Digest(input.manifest);
    for (const blob of input.blobs) addBlob(blob);
    addBlob({ digest, size: input.manifest.length, source: { kind: 'bytes', bytes: input.manifest }, owner: `${input.ref} (manifest)` });
    const uniqueBlobs = new Map(input.blobs.map((b) => [b.digest, b.size]));
    const contentSize = input.manifest.length + [...uniqueBlobs.values()].reduce((sum, size) => sum + size, 0);
    artifacts.push({ ...input.facts, kind: input.kind, ref: input.ref, mediaType: input.mediaType, digest, size: input.manifest.length, contentSize });
    licences.push(input.licences);
  }

  const entries: PlannedEntry[] = [];
  let offset = 0;
  const place = (name: string, size: number, source: BlobLocation, owner: string, digest?: string) => {
    const span = entrySpan(name, size);
    entries.push({ name, size, dataOffset: offset + span.header, source, owner, ...(digest ? { digest } : {}) });
    offset += span.total;
  };
  place('oci-layout', OCI_LAYOUT.length, { kind: 'bytes', bytes: OCI_LAYOUT }, 'the OCI layout marker');
  for (const blob of blobsInOrder) place(blobEntryName(blob.digest), blob.size, blob.source, blob.owner, blob.digest);
  const index = ociIndex(artifacts);
  place('index.json', index.length, { kind: 'bytes', bytes: index }, 'the OCI index');
  const tarSize = offset + END_OF_ARCHIVE.length;

  const blobs = entries.filter((e) => e.digest).map((e) => ({ digest: e.digest!, size: e.size, offset: e.dataOffset }));
  return { entries, tarSize, artifacts, licences, blobs };
}

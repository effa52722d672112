import { createHash } from 'node:crypto';
import { MAX_MANIFEST_BYTES, type BundleArtifact, type BundleIndex } from '../../shared/bundle.js';
import { fetchAll } from '../content/store.js';
import { FerryError } from '../util/errors.js';
import { artifactKindRules, type GitSha1File } from './artifact-kinds.js';
import { BundleStore } from './bundle-store.js';
import { EXPORT_AGAIN } from './open.js';
import type { GitSha1Expectation } from './tar-check.js';

function fail(message: string, details: Record<string, unknown> = {}): never {
  throw new FerryError('INTEGRITY', message, details);
}

/**
 * The artifacts' manifests, read in place before the volumes are read in full (a few kilobytes:
 * what every target plans from), each checked against its digest.
 */
export async function readManifests(index: BundleIndex, blobs: BundleStore): Promise<Map<string, Buffer>> {
  const manifests = new Map<string, Buffer>();
  for (const artifact of index.artifacts) {
    const blob = blobs.find(artifact.digest);
    if (!blob) fail(`BUNDLE.json names artifact ${artifact.ref} with manifest ${artifact.digest}, which is not among its blobs.`, { blob: artifact.digest });
    if (blob.size > MAX_MANIFEST_BYTES)
      fail(`The manifest of ${artifact.ref} is ${blob.size} bytes, too large for a manifest. ${EXPORT_AGAIN}`, { blob: blob.digest });
    const bytes = await fetchAll(blobs, blob);
    const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (bytes.length !== blob.size || actual !== artifact.digest)
      fail(`The manifest of ${artifact.ref} (${artifact.digest}) does not match its digest: a volume is damaged or was altered.`, { blob: artifact.digest });
    manifests.set(artifact.digest, bytes);
  }
  return manifests;
}

/** Every manifest has the shape its kind's writer needs and names only blobs the bundle holds, at their sizes. */
export function checkManifests(index: BundleIndex, manifests: ReadonlyMap<string, Buffer>): void {
  const present = new Map(index.blobs.map((b) => [b.digest, b.size]));
  for (const artifact of index.artifacts) {
    type Descriptor = { digest?: string; size?: number };
    let manifest: { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
    const manifestBytes = manifests.get(artifact.digest)!;
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8'));
    } catch {
      fail(`The manifest of ${artifact.ref} (${artifact.digest}) is not valid JSON.`, { blob: artifact.digest });
    }
    // The writers need exactly their shape, and every name in it safe: refuse now, before any target is touched.
    const check = artifactKindRules(artifact.kind).checkManifest;
    if (check) {
      try {
        check(manifestBytes, artifact.ref);
      } catch (err) {
        fail(`${(err as Error).message} ${EXPORT_AGAIN}`, { blob: artifact.digest, ref: artifact.ref });
      }
    }
    for (const descriptor of [manifest.config, ...(manifest.layers ?? []), ...(manifest.manifests ?? [])]) {
      const digest = descriptor?.digest;
      if (digest === undefined) continue;
      if (!present.has(digest))
        fail(`The manifest of ${artifact.ref} names blob ${digest}, which the bundle does not hold.`, { blob: digest, ref: artifact.ref });
      if (descriptor!.size !== undefined && descriptor!.size !== present.get(digest)) {
        fail(
          `The manifest of ${artifact.ref} gives blob ${digest} the size ${descriptor!.size}, but the bundle holds ${present.get(digest)} bytes. ${EXPORT_AGAIN}`,
          { blob: digest, ref: artifact.ref },
        );
      }
    }
  }
}

/** After the stream: index.json must list exactly the artifacts BUNDLE.json lists, and only blobs that are there. */
export function checkIndexJson(index: BundleIndex, indexJson: Buffer | undefined): void {
  let ociIndex: { manifests?: { mediaType?: string; digest?: string; size?: number; annotations?: Record<string, string> }[] };
  try {
    ociIndex = JSON.parse(indexJson?.toString('utf8') ?? 'null');
  } catch {
    fail('index.json in the tar stream is not valid JSON.', { entry: 'index.json' });
  }
  const descriptors = ociIndex?.manifests;
  if (!Array.isArray(descriptors) || descriptors.length !== index.artifacts.length)
    fail('index.json does not list the artifacts BUNDLE.json lists.', { entry: 'index.json' });
  const present = new Set(index.blobs.map((b) => b.digest));
  for (const d of descriptors) {
    if (!present.has(d?.digest as string)) {
      const ref = d?.annotations?.['org.opencontainers.image.ref.name'];
      fail(`index.json names ${String(d?.digest)}${ref ? ` for ${ref}` : ''}, which the bundle does not hold. ${EXPORT_AGAIN}`, {
        entry: 'index.json',
        blob: d?.digest,
      });
    }
  }
  index.artifacts.forEach((artifact: BundleArtifact, i) => {
    const d = descriptors[i]!;
    if (
      d.digest !== artifact.digest ||
      d.size !== artifact.size ||
      d.mediaType !== artifact.mediaType ||
      d.annotations?.['org.opencontainers.image.ref.name'] !== artifact.ref ||
      d.annotations?.['io.ferry.kind'] !== artifact.kind
    ) {
      fail(`index.json and BUNDLE.json disagree about ${artifact.ref}.`, { entry: 'index.json', ref: artifact.ref });
    }
  });
}

/**
 * The files kept in git (etag = git blob sha1, as Hugging Face's are), by blob digest, from the
 * manifests of the kinds that have such files, so the read checks each etag as the bytes go by.
 */
export function gitSha1Expectations(index: BundleIndex, manifests: ReadonlyMap<string, Buffer>): Map<string, GitSha1Expectation> {
  const expectations = new Map<string, GitSha1Expectation>();
  for (const artifact of index.artifacts) {
    const gitSha1Files = artifactKindRules(artifact.kind).gitSha1Files;
    if (!gitSha1Files) continue;
    let files: readonly GitSha1File[];
    try {
      files = gitSha1Files(manifests.get(artifact.digest)!);
    } catch {
      continue; // checkManifests refuses a manifest its kind cannot read
    }
    for (const file of files) {
      const what = `${file.path} of ${artifact.ref}`;
      const other = expectations.get(file.digest);
      if (other && other.etag !== file.etag) {
        fail(`${other.what} and ${what} hold the same bytes (${file.digest}) but name different etags (${other.etag}, ${file.etag}). ${EXPORT_AGAIN}`, {
          blob: file.digest,
          ref: artifact.ref,
        });
      }
      expectations.set(file.digest, { etag: file.etag, what });
    }
  }
  return expectations;
}

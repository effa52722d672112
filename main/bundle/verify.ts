import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { BundleIndex, MAX_MANIFEST_BYTES, type BundleArtifact } from '../../shared/bundle.js';
import type { ErrorCode } from '../../shared/errors.js';
import type { VerifyJobResult } from '../../shared/rpc.js';
import type { TrustedKey } from '../keys/keys.js';
import { FerryError } from '../util/errors.js';
import { artifactKindRules, type GitSha1File } from './artifact-kinds.js';
import { blobEntryName } from './plan.js';
import { TarChecker, type GitSha1Expectation } from './tar-check.js';
import { fetchAll } from '../content/store.js';
import { BundleStore } from './bundle-store.js';
import { VolumeSet } from './volume-set.js';
import { EXPORT_AGAIN, openBundle, type BundleSigner } from './open.js';
import type { Progress } from '../util/progress.js';

const READ_CHUNK = 1024 * 1024;

export type VolumeStatus = 'ok' | 'missing' | 'mismatch' | 'wrong-size' | 'unchecked';

export interface VolumeCheck {
  file: string;
  size: number;
  expected: string;
  status: VolumeStatus;
  actual?: string;
}

export interface Problem {
  code: ErrorCode;
  message: string;
  volume?: string;
  blob?: string;
}

export interface VerifyReport {
  ok: boolean;
  dir: string;
  name: string;
  bundleDigest: string;
  signer: BundleSigner;
  volumes: VolumeCheck[];
  deep: boolean;
  problems: Problem[];
  index: BundleIndex;
  /** The manifests of the artifacts, by digest, as read from the verified stream. */
  manifests: Map<string, Buffer>;
}

/** After the stream: index.json and every manifest must agree with BUNDLE.json and name only blobs that are there. */
function checkLayout(index: BundleIndex, kept: Map<string, Buffer>): void {
  const fail = (message: string, details: Record<string, unknown> = {}) => {
    throw new FerryError('INTEGRITY', message, details);
  };
  let ociIndex: { manifests?: { mediaType?: string; digest?: string; size?: number; annotations?: Record<string, string> }[] };
  try {
    ociIndex = JSON.parse(kept.get('index.json')?.toString('utf8') ?? 'null');
  } catch {
    return fail('index.json in the tar stream is not valid JSON.', { entry: 'index.json' });
  }
  const descriptors = ociIndex?.manifests;
  if (!Array.isArray(descriptors) || descriptors.length !== index.artifacts.length)
    return fail('index.json does not list the artifacts BUNDLE.json lists.', { entry: 'index.json' });
  const present = new Map(index.blobs.map((b) => [b.digest, b.size]));
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
    type Descriptor = { digest?: string; size?: number };
    let manifest: { config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] };
    const manifestBytes = kept.get(blobEntryName(artifact.digest))!;
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8'));
    } catch {
      return fail(`The manifest of ${artifact.ref} (${artifact.digest}) is not valid JSON.`, { blob: artifact.digest });
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
    const named = [manifest.config, ...(manifest.layers ?? []), ...(manifest.manifests ?? [])];
    for (const descriptor of named) {
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
  });
}

export interface VerifyOptions {
  trusted: readonly TrustedKey[];
  deep?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/**
 * The files kept in git (etag = git blob sha1, as Hugging Face's are), by blob digest, read from the
 * manifests of the kinds that have such files before the stream goes by, so the deep pass checks each
 * etag in the same read. A manifest that cannot be read here is left to the stream pass, which reports it.
 */
async function gitSha1Expectations(index: BundleIndex, set: VolumeSet): Promise<Map<string, GitSha1Expectation>> {
  const expectations = new Map<string, GitSha1Expectation>();
  const bundle = new BundleStore(set, index.blobs);
  for (const artifact of index.artifacts) {
    const gitSha1Files = artifactKindRules(artifact.kind).gitSha1Files;
    if (!gitSha1Files) continue;
    const blob = index.blobs.find((b) => b.digest === artifact.digest);
    if (!blob || blob.size > MAX_MANIFEST_BYTES) continue;
    let files: readonly GitSha1File[];
    try {
      const bytes = await fetchAll(bundle, blob);
      if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== artifact.digest) continue;
      files = gitSha1Files(bytes);
    } catch {
      continue;
    }
    for (const file of files) {
      const what = `${file.path} of ${artifact.ref}`;
      const other = expectations.get(file.digest);
      if (other && other.etag !== file.etag) {
        throw new FerryError(
          'INTEGRITY',
          `${other.what} and ${what} hold the same bytes (${file.digest}) but name different etags (${other.etag}, ${file.etag}). ${EXPORT_AGAIN}`,
          { blob: file.digest, ref: artifact.ref },
        );
      }
      expectations.set(file.digest, { etag: file.etag, what });
    }
  }
  return expectations;
}

/**
 * Verifies a bundle folder: signature and trust, BUNDLE.json, every volume's sha256 and size, and
 * the tar stream's structure against BUNDLE.json, in one read of each volume. With `deep`, every
 * blob is re-hashed against its digest in the same pass.
 */
export async function verifyBundle(dir: string, opts: VerifyOptions): Promise<VerifyReport> {
  const opened = await openBundle(dir, opts.trusted);
  const { index } = opened;
  const problems: Problem[] = [];
  if (!opened.signer.trusted) {
    problems.push({
      code: 'UNTRUSTED',
      message: `The bundle is signed by ${opened.signer.fingerprint}, which is not a trusted key. If the exporting site gave you this fingerprint, trust their public key: ferry keys trust THEIR-KEY.pub.pem (or pass --trust FILE).`,
    });
  }
  const set = new VolumeSet(dir, index.volumes);
  const checker = new TarChecker(index, Boolean(opts.deep), opts.deep ? await gitSha1Expectations(index, set) : undefined);
  let streamBroken = false;
  let bytesDone = 0;
  const volumes: VolumeCheck[] = [];
  for (const volume of index.volumes) {
    if (opts.signal?.aborted) throw new FerryError('CANCELLED', 'Verification was cancelled.');
    const file = set.pathOf(volume);
    const check: VolumeCheck = { file: volume.file, size: volume.size, expected: volume.sha256, status: 'unchecked' };
    volumes.push(check);
    const stat = await fsp.stat(file).catch(() => undefined);
    if (!stat) {
      check.status = 'missing';
      streamBroken = true;
      problems.push({
        code: 'INTEGRITY',
        volume: volume.file,
        message: `Volume ${volume.file} is missing from ${dir}. Copy it from its disc into this folder.`,
      });
      continue;
    }
    if (stat.size !== volume.size) {
      check.status = 'wrong-size';
      streamBroken = true;
      problems.push({
        code: 'INTEGRITY',
        volume: volume.file,
        message: `Volume ${volume.file} is ${stat.size} bytes, expected ${volume.size}: it is truncated or damaged. Copy it again.`,
      });
      continue;
    }
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw new FerryError('CANCELLED', 'Verification was cancelled.');
      hash.update(chunk);
      if (!streamBroken) {
        try {
          checker.feed(chunk);
        } catch (err) {
          streamBroken = true;
          if (!(err instanceof FerryError)) throw err;
          problems.push({
            code: err.code,
            volume: volume.file,
            message: err.message,
            ...(typeof err.details.blob === 'string' ? { blob: err.details.blob } : {}),
          });
        }
      }
      bytesDone += chunk.length;
      opts.onProgress?.({ bytesDone, bytesTotal: index.tar.size, item: volume.file });
    }
    check.actual = hash.digest('hex');
    check.status = check.actual === volume.sha256 ? 'ok' : 'mismatch';
    if (check.status === 'mismatch') {
      problems.push({
        code: 'INTEGRITY',
        volume: volume.file,
        message: `Volume ${volume.file} does not match SHA256SUMS (it hashes to ${check.actual}): it is damaged or was altered. Copy it again from its disc.`,
      });
    }
  }
  const manifests = new Map<string, Buffer>();
  if (!streamBroken) {
    try {
      checker.end();
      checkLayout(index, checker.kept);
      for (const artifact of index.artifacts) manifests.set(artifact.digest, checker.kept.get(blobEntryName(artifact.digest))!);
    } catch (err) {
      if (!(err instanceof FerryError)) throw err;
      problems.push({ code: err.code, message: err.message });
    }
  }
  return {
    ok: problems.length === 0,
    dir,
    name: index.name,
    bundleDigest: opened.bundleDigest,
    signer: opened.signer,
    volumes,
    deep: Boolean(opts.deep),
    problems,
    index,
    manifests,
  };
}

/** The first problem as an error the CLI and the UI can show, with exit code 3 semantics. */
export function refusalOf(report: VerifyReport): FerryError | undefined {
  const integrity = report.problems.find((p) => p.code !== 'UNTRUSTED');
  const first = integrity ?? report.problems[0];
  if (!first) return undefined;
  const more = report.problems.length > 1 ? ` (${report.problems.length - 1} more problem${report.problems.length > 2 ? 's' : ''})` : '';
  return new FerryError(first.code, `${first.message}${more}`, {
    ...(first.volume ? { volume: first.volume } : {}),
    ...(first.blob ? { blob: first.blob } : {}),
    fingerprint: report.signer.fingerprint,
  });
}

/** The report as the contract carries it (the UI's verify job, `ferry verify --json`). */
export function verifyResultOf(report: VerifyReport): VerifyJobResult {
  return {
    ok: report.ok,
    dir: report.dir,
    name: report.name,
    bundleDigest: report.bundleDigest,
    signer: { fingerprint: report.signer.fingerprint, signatureValid: report.signer.signatureValid, trusted: report.signer.trusted },
    volumes: report.volumes.map((v) => ({ file: v.file, size: v.size, expected: v.expected, status: v.status })),
    problems: report.problems.map((p) => ({
      code: p.code,
      message: p.message,
      ...(p.volume ? { volume: p.volume } : {}),
      ...(p.blob ? { blob: p.blob } : {}),
    })),
    artifacts: report.index.artifacts,
    createdAt: report.index.createdAt,
    createdBy: report.index.createdBy,
    deep: report.deep,
    previousBundle: report.index.previousBundle,
  };
}

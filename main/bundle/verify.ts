import { BundleIndex } from '../../shared/bundle.js';
import type { VerifyJobResult } from '../../shared/rpc.js';
import { untrustedSigner, type TrustedKey } from '../keys/keys.js';
import { FerryError } from '../util/errors.js';
import { TarChecker, type BlobEvent, type GitSha1Expectation } from './tar-check.js';
import { BundleStore } from './bundle-store.js';
import { VolumeSet } from './volume-set.js';
import { openBundle, type BundleSigner, type OpenedBundle } from './open.js';
import { checkIndexJson, checkManifests, gitSha1Expectations, readManifests } from './layout-check.js';
import { readVolumesOnce, type BlobRoutes, type Problem, type VolumeCheck } from './read-once.js';
import type { Progress } from '../util/progress.js';

export type { Problem, VolumeCheck, VolumeStatus } from './read-once.js';

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
  /** The manifests of the artifacts, by digest, read before the volumes and checked against their digests. */
  manifests: Map<string, Buffer>;
}

export interface VerifyOptions {
  trusted: readonly TrustedKey[];
  deep?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** A bundle opened and its manifests read and checked, before its volumes are read in full. */
export interface PreparedBundle {
  dir: string;
  opened: OpenedBundle;
  blobs: BundleStore;
  /** The artifacts' manifests by digest (empty when they could not be read: see problems). */
  manifests: Map<string, Buffer>;
  /** Untrusted signer, a manifest that does not match or does not fit its kind: the read names the volume. */
  problems: Problem[];
}

/**
 * What takes seconds whatever the bundle's size: the signature over SHA256SUMS and who made it,
 * BUNDLE.json against SHA256SUMS and against itself, and the artifacts' manifests (read in place).
 * Throws when nothing further means anything (no signature, BUNDLE.json altered).
 */
export async function prepareBundle(dir: string, trusted: readonly TrustedKey[]): Promise<PreparedBundle> {
  const opened = await openBundle(dir, trusted);
  const problems: Problem[] = [];
  if (!opened.signer.trusted) {
    const { message, revoked } = untrustedSigner(opened.signer.fingerprint, trusted);
    problems.push({ code: 'UNTRUSTED', message, ...(revoked ? { revoked } : {}) });
  }
  const blobs = new BundleStore(new VolumeSet(dir, opened.index.volumes), opened.index.blobs);
  let manifests: Map<string, Buffer>;
  try {
    manifests = await readManifests(opened.index, blobs);
    checkManifests(opened.index, manifests);
  } catch (err) {
    if (!(err instanceof FerryError)) throw err;
    manifests = new Map();
    problems.push({ code: err.code, message: err.message, ...(typeof err.details.blob === 'string' ? { blob: err.details.blob } : {}) });
  }
  return { dir, opened, blobs, manifests, problems };
}

export interface ReadBundleOptions extends Omit<VerifyOptions, 'trusted'> {
  /** Where the blobs go in the same read (an import); only used when nothing is wrong so far. */
  routes?: BlobRoutes;
  stoppedMessage?: string;
  endsInFlight?: number;
}

/** The one read of every volume (see readVolumesOnce), then index.json: the whole report. */
export async function readBundle(prepared: PreparedBundle, opts: ReadBundleOptions): Promise<VerifyReport> {
  const { opened, dir, manifests } = prepared;
  const { index } = opened;
  const problems = [...prepared.problems];
  const deep = Boolean(opts.deep || opts.routes);
  const events: BlobEvent[] = [];
  let gitSha1: Map<string, GitSha1Expectation> | undefined;
  try {
    gitSha1 = deep && problems.length === 0 ? gitSha1Expectations(index, manifests) : undefined;
  } catch (err) {
    if (!(err instanceof FerryError)) throw err;
    problems.push({ code: err.code, message: err.message, ...(typeof err.details.blob === 'string' ? { blob: err.details.blob } : {}) });
  }
  const checker = new TarChecker(index, deep, gitSha1, (event) => events.push(event));
  const read = await readVolumesOnce(index, prepared.blobs.volumes, checker, events, {
    signal: opts.signal,
    onProgress: opts.onProgress,
    routes: problems.length === 0 ? opts.routes : undefined,
    stoppedMessage: opts.stoppedMessage ?? 'Verification was cancelled.',
    endsInFlight: opts.endsInFlight,
  });
  // What the read found names the volume (a link in the tar, a lying size): it goes before what the manifests showed.
  const before = problems.splice(0);
  problems.push(...before.filter((p) => p.code === 'UNTRUSTED'), ...read.problems, ...before.filter((p) => p.code !== 'UNTRUSTED'));
  if (!read.streamBroken) {
    try {
      checker.end();
      checkIndexJson(index, checker.kept.get('index.json'));
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
    volumes: read.volumes,
    deep,
    problems,
    index,
    manifests,
  };
}

/** What the quick checks found, as a report whose volumes are not read yet (the import reads them). */
export function reportBeforeReading(prepared: PreparedBundle): VerifyReport {
  const { opened } = prepared;
  return {
    ok: prepared.problems.length === 0,
    dir: prepared.dir,
    name: opened.index.name,
    bundleDigest: opened.bundleDigest,
    signer: opened.signer,
    volumes: opened.index.volumes.map((v) => ({ file: v.file, size: v.size, expected: v.sha256, status: 'unchecked' })),
    deep: false,
    problems: prepared.problems,
    index: opened.index,
    manifests: prepared.manifests,
  };
}

/**
 * Verifies a bundle folder: signature and trust, BUNDLE.json, the manifests, every volume's sha256
 * and size, and the tar stream's structure against BUNDLE.json, in one read of each volume. With
 * `deep`, every blob is re-hashed against its digest in the same pass.
 */
export async function verifyBundle(dir: string, opts: VerifyOptions): Promise<VerifyReport> {
  return readBundle(await prepareBundle(dir, opts.trusted), opts);
}

/** Problems a refusal lists beside its first (the count in its message says how many there were in all). */
const LISTED_PROBLEMS = 20;

/**
 * The first problem as an error the CLI and the UI can show, with exit code 3 semantics; with more
 * than one, details.problems lists them in order (the first included), for the CLI and the wizard to show.
 */
export function refusalOf(report: Pick<VerifyReport, 'problems' | 'signer'>): FerryError | undefined {
  const integrity = report.problems.find((p) => p.code !== 'UNTRUSTED');
  const first = integrity ?? report.problems[0];
  if (!first) return undefined;
  const more = report.problems.length > 1 ? ` (${report.problems.length - 1} more problem${report.problems.length > 2 ? 's' : ''})` : '';
  const ordered = [first, ...report.problems.filter((p) => p !== first)];
  return new FerryError(first.code, `${first.message}${more}`, {
    ...(first.volume ? { volume: first.volume } : {}),
    ...(first.blob ? { blob: first.blob } : {}),
    ...(first.revoked ? { revoked: true } : {}),
    fingerprint: report.signer.fingerprint,
    ...(ordered.length > 1 ? { problems: ordered.slice(0, LISTED_PROBLEMS).map((p) => p.message) } : {}),
  });
}

/** The report as the contract carries it (the UI's verify job, `ferry verify --json`). */
export function verifyResultOf(report: VerifyReport): VerifyJobResult {
  return {
    ok: report.ok,
    dir: report.dir,
    name: report.name,
    bundleDigest: report.bundleDigest,
    signer: {
      fingerprint: report.signer.fingerprint,
      signatureValid: report.signer.signatureValid,
      trusted: report.signer.trusted,
      ...(report.signer.name ? { name: report.signer.name } : {}),
      ...(report.signer.revoked ? { revoked: report.signer.revoked } : {}),
    },
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

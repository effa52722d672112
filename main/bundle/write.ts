import { createHash, type Hash } from 'node:crypto';
import type { Progress } from '../util/progress.js';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { BundleIndex, BundleVolume } from '../../shared/bundle.js';
import type { RegistryLocation } from '../content/location.js';
import { SourceStore } from '../content/source-store.js';
import type { ReadOnlyStore } from '../content/store.js';
import type { SiteKey } from '../keys/keys.js';
import { signDer } from '../keys/keys.js';
import { writeFileAtomic } from '../util/atomic.js';
import { canonicalJson } from '../util/canonical-json.js';
import { FerryError, toEnvelope } from '../util/errors.js';
import { ParallelHasher } from '../util/parallel-hasher.js';
import { pausedBy } from '../util/pause.js';
import type { BundlePlan, PlannedEntry } from './plan.js';
import type { ResumePoint } from './resume.js';
import { END_OF_ARCHIVE, fileHeader, paddingFor } from './tar.js';
import { VolumeWriter } from './volume-writer.js';
import { verifyTextFor } from './verify-text.js';

const ZEROS = Buffer.alloc(512);

export interface WriteVolumesOptions {
  dir: string;
  name: string;
  volumeSize: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** The store of a registry repository; the export supplies it when the plan has registry sources. */
  registry?: (location: RegistryLocation) => ReadOnlyStore;
  /** Continue an earlier run: its checked volumes are kept and the stream goes on from their end. */
  resume?: ResumePoint;
  /** Runs after each volume is flushed, fsynced and closed, with every complete volume so far. */
  onVolume?: (done: readonly BundleVolume[]) => Promise<void>;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (pausedBy(signal)) throw signal!.reason;
  if (signal?.aborted) throw new FerryError('CANCELLED', 'The export was cancelled; nothing complete was left behind.');
}

/** A blob's sha256 as it streams: on the hashing thread, or here when it continues a prefix hashed from kept volumes. */
interface BlobHash {
  update(chunk: Buffer): Promise<void>;
  digest(): Promise<string>;
}

function blobHash(hasher: ParallelHasher, prefix: Hash | undefined): BlobHash {
  if (prefix) return { update: async (chunk) => void prefix.update(chunk), digest: async () => prefix.digest('hex') };
  const session = hasher.begin();
  return { update: (chunk) => hasher.update(session, chunk), digest: () => hasher.digest(session) };
}

/**
 * Streams one entry's data into the volumes from byte `from` of it (0 but where a resumed export
 * continues it); blobs are hashed on the way, from `prefix` when given, and must match their digest.
 */
async function writeEntryData(
  entry: PlannedEntry,
  out: VolumeWriter,
  hasher: ParallelHasher,
  sources: SourceStore,
  signal: AbortSignal | undefined,
  advance: (n: number) => void,
  from = 0,
  prefix?: Hash,
): Promise<void> {
  if (from > 0 && entry.source.kind !== 'bytes' && !prefix) throw new Error(`internal: ${entry.name} continues at ${from} without its hash so far`);
  if (entry.source.kind === 'bytes') {
    const bytes = Buffer.from(entry.source.bytes.buffer, entry.source.bytes.byteOffset, entry.source.bytes.byteLength);
    if (entry.digest && `sha256:${createHash('sha256').update(bytes).digest('hex')}` !== entry.digest) {
      throw new FerryError('INTEGRITY', `${entry.owner}: in-memory blob ${entry.digest} does not match its digest.`, { blob: entry.digest });
    }
    if (from < bytes.length) {
      await out.write(bytes.subarray(from));
      advance(bytes.length - from);
    }
    return;
  }
  const source = entry.source;
  const where = source.kind === 'file' ? ` at ${source.path}` : ` in ${source.registry}/${source.repository}`;
  const fileDetail = source.kind === 'file' ? { file: source.path } : {};
  const hash = blobHash(hasher, prefix);
  let read = from;
  if (entry.size > from) {
    // A registry blob is read whole (no ranges); its bytes before `from` are in the kept volumes already.
    const whole = from > 0 && source.kind === 'registry';
    const stream = sources.read({ digest: entry.digest!, size: entry.size }, from > 0 && !whole ? { offset: from, length: entry.size - from } : undefined);
    let skip = whole ? from : 0;
    // The chunk before this one may still be with the hashing threads and the disk: a read's chunk
    // stays valid until the one after next is asked for (readThroughRing).
    let previousHashed: Promise<void> | undefined;
    try {
      for await (const fetched of stream) {
        checkAborted(signal);
        const chunk = skip > 0 ? fetched.subarray(Math.min(skip, fetched.length)) : fetched;
        skip -= fetched.length - chunk.length;
        if (chunk.length === 0) continue;
        // The blob is hashed on one hashing thread while the volume is hashed on another and written.
        const hashed = hash.update(chunk);
        hashed.catch(() => undefined); // awaited with the next chunk
        await out.write(chunk);
        await previousHashed;
        previousHashed = hashed;
        read += chunk.length;
        advance(chunk.length);
      }
      await previousHashed;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new FerryError('INVALID_INPUT', `${entry.owner}: blob ${entry.digest ?? entry.name} is missing${where}.`, { blob: entry.digest, ...fileDetail });
      }
      throw err;
    }
  }
  if (read !== entry.size) {
    throw new FerryError(
      'INTEGRITY',
      `${entry.owner}: blob ${entry.digest ?? entry.name}${where} has ${read} bytes, expected ${entry.size}. The source is damaged; fetch it again.`,
      { blob: entry.digest, ...fileDetail },
    );
  }
  const actual = `sha256:${await hash.digest()}`;
  if (entry.digest && actual !== entry.digest) {
    throw new FerryError(
      'INTEGRITY',
      `${entry.owner}: blob ${entry.digest}${where} does not match its digest (its content hashes to ${actual}). The source is damaged; fetch it again${entry.owner.startsWith('model ') ? ' (for Ollama: ollama pull)' : ''}.`,
      { blob: entry.digest, actual, ...fileDetail },
    );
  }
}

/**
 * Writes the planned tar stream as volumes in one pass: every blob is read once, hashed against
 * its digest while it is written, and each volume is hashed as it is cut. With `resume`, the stream
 * continues at the end of the kept volumes (sources read from the plan's offsets there). On a pause
 * or a failure the complete volumes stay for the next run (the error's details say how many); a
 * Cancel removes every volume.
 */
export async function writeVolumes(plan: BundlePlan, opts: WriteVolumesOptions): Promise<BundleVolume[]> {
  const { kept = [], startAt = 0, blobPrefix } = opts.resume ?? {};
  const out = new VolumeWriter(opts.dir, opts.name, plan.tarSize, opts.volumeSize, { kept, ...(opts.onVolume ? { onVolume: opts.onVolume } : {}) });
  const hasher = new ParallelHasher();
  const sources = new SourceStore(
    plan.entries.flatMap((e) => (e.digest && e.source.kind !== 'bytes' ? [{ digest: e.digest, size: e.size, source: e.source }] : [])),
    opts.registry,
  );
  let bytesDone = startAt;
  let item = '';
  const advance = (n: number) => {
    bytesDone += n;
    opts.onProgress?.({ bytesDone, bytesTotal: plan.tarSize, item, phase: out.describe() });
  };
  /** Writes the part of `bytes` (at tar offset `at`) that lies after the kept volumes. */
  const emit = async (bytes: Buffer, at: number) => {
    const skip = Math.max(0, startAt - at);
    if (skip >= bytes.length) return;
    await out.write(skip > 0 ? bytes.subarray(skip) : bytes);
    advance(bytes.length - skip);
  };
  try {
    for (const entry of plan.entries) {
      checkAborted(opts.signal);
      const pad = paddingFor(entry.size);
      const continued = blobPrefix && entry.digest === blobPrefix.digest;
      if (entry.dataOffset + entry.size + pad <= startAt && !continued) continue;
      // The layout's own files are named as the bundle's index, not by their tar names (oci-layout, index.json).
      item =
        entry.owner === 'the OCI layout marker' || entry.owner === 'the OCI index' ? "the bundle's index" : `${entry.owner}: ${entry.digest ?? entry.name}`;
      const header = fileHeader(entry.name, entry.size);
      await emit(header, entry.dataOffset - header.length);
      // Data wholly in the kept volumes is skipped, but for the blob they cut: its digest is checked over all its bytes.
      if (entry.dataOffset + entry.size > startAt || continued) {
        const from = Math.max(0, startAt - entry.dataOffset);
        await writeEntryData(entry, out, hasher, sources, opts.signal, advance, from, continued ? blobPrefix.hash : undefined);
      }
      if (pad) await emit(ZEROS.subarray(0, pad), entry.dataOffset + entry.size);
    }
    await emit(END_OF_ARCHIVE, plan.tarSize - END_OF_ARCHIVE.length);
    if (bytesDone !== plan.tarSize) throw new Error(`internal: wrote ${bytesDone} tar bytes, planned ${plan.tarSize}`);
    return await out.finish();
  } catch (err) {
    // The error that stopped the export is the one to report (a Cancel stays a Cancel); a failure
    // while cleaning up after it must not replace it. A partial left behind is never renamed into place.
    if (opts.signal?.aborted && !pausedBy(opts.signal)) {
      await out.abort().catch(() => undefined);
      throw err;
    }
    // A pause or a failure (a source that went away, a full or flaky disk) keeps the complete
    // volumes: the next run re-checks them and goes on with the next, as after a crash.
    // The complete volumes stay kept even when closing the unfinished one fails (a disk that went away).
    const volumes = await out.stop().catch(() => out.completedVolumes);
    if (pausedBy(opts.signal)) {
      throw new FerryError(
        'CANCELLED',
        `Paused: ${volumes} of ${out.fileNames.length} volumes are written and kept. Resume the export to continue from there.`,
        { paused: true, volumesKept: volumes, volumes: out.fileNames.length },
      );
    }
    throw volumes === 0 ? err : withVolumesKept(err, volumes, out.fileNames.length);
  } finally {
    await hasher.close();
  }
}

/** A failure that kept complete volumes: its own code and message, and how many of the volumes are kept. */
export function withVolumesKept(err: unknown, volumesKept: number, volumes: number): FerryError {
  const failure = toEnvelope(err);
  return new FerryError(failure.code, failure.message, { ...failure.details, volumesKept, volumes });
}

export function sha256sumsText(index: BundleIndex, bundleJson: Buffer): string {
  const lines = [`${createHash('sha256').update(bundleJson).digest('hex')}  BUNDLE.json`];
  for (const volume of index.volumes) lines.push(`${volume.sha256}  ${volume.file}`);
  return lines.join('\n') + '\n';
}

export const BUNDLE_FILES = { index: 'BUNDLE.json', sums: 'SHA256SUMS', signature: 'SHA256SUMS.sig', signer: 'signer.pub.pem', verify: 'VERIFY.txt' } as const;

/**
 * Writes the small files beside the volumes. SHA256SUMS.sig is written last: a folder without it
 * is not a bundle, so an interrupted export never looks complete.
 */
export async function writeBundleMetadata(dir: string, index: BundleIndex, signer: SiteKey): Promise<{ bundleDigest: string }> {
  const bundleJson = Buffer.from(canonicalJson(index));
  const sums = sha256sumsText(index, bundleJson);
  const bundleDigest = `sha256:${createHash('sha256').update(sums).digest('hex')}`;
  const signature = signDer(signer.privateKey, Buffer.from(sums));
  await writeFileAtomic(path.join(dir, BUNDLE_FILES.index), bundleJson);
  await writeFileAtomic(path.join(dir, BUNDLE_FILES.signer), signer.publicKeyPem);
  await writeFileAtomic(path.join(dir, BUNDLE_FILES.verify), verifyTextFor(index, bundleDigest));
  await writeFileAtomic(path.join(dir, BUNDLE_FILES.sums), sums);
  await writeFileAtomic(path.join(dir, BUNDLE_FILES.signature), signature.toString('base64') + '\n');
  return { bundleDigest };
}

/** Removes what an interrupted export left in `dir` (hidden partial files only), but those in `keep`. */
export async function removePartials(dir: string, keep: ReadonlySet<string> = new Set()): Promise<void> {
  for (const name of await fsp.readdir(dir)) {
    if (name.startsWith('.') && name.endsWith('.partial') && !keep.has(name)) await fsp.rm(path.join(dir, name), { force: true });
  }
}

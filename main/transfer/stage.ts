import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { BundleVolume } from '../../shared/bundle.js';
import { readBundleFileBounded } from '../bundle/index-limits.js';
import { type VerifyReport } from '../bundle/verify.js';
import { openBundle, type OpenedBundle } from '../bundle/open.js';
import { BUNDLE_FILES } from '../bundle/write.js';
import { readVolume } from '../bundle/volume-reads.js';
import type { Progress } from '../util/progress.js';
import type { Engine } from '../engine.js';
import { fingerprintOf, parseP256PublicKey, untrustedSigner, verifyDer, type TrustedKey } from '../keys/keys.js';
import { syncDir, tempPathFor, writeFileAtomic } from '../util/atomic.js';
import { FerryError, toEnvelope, writeFailure } from '../util/errors.js';
import { trustedKeysFor } from './trusted-keys.js';
import { checkStaging, isStaged, removePartials, STAGED_RECORD } from './staging-record.js';

export interface StageRequest {
  /** The disc: the bundle folder, or a folder holding exactly one bundle folder. */
  from: string;
  /** The staging folder: empty, or holding the same bundle from earlier discs. */
  to: string;
  /** Keys named for this run (--trust), beside those pinned under FERRY_HOME. */
  trust: TrustedKey[];
  /** The disc as recorded: id (serial or asset tag), label, seal. */
  medium?: { id: string; label?: string | undefined; seal?: string | undefined } | undefined;
}

export interface StageOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface StageResult {
  bundleDigest: string;
  name: string;
  signer: VerifyReport['signer'];
  /** The bundle's volumes found on this disc, in order. */
  onThisDisc: string[];
  /** Volumes of this disc copied into STAGING now, each verified against SHA256SUMS. */
  copied: string[];
  /** Volumes of this disc already in STAGING from an earlier run, not copied again. */
  alreadyStaged: string[];
  /** Volumes of the bundle not yet in STAGING, in order. */
  missing: string[];
  complete: boolean;
  /** The bundle folder read (the disc, or its one bundle folder), absolute. */
  from: string;
  /** STAGING, absolute: what to import once complete. */
  to: string;
  /** How many volumes the bundle has in all. */
  totalVolumes: number;
  /** The disc held volumes only; the signed metadata came from STAGING (an earlier disc). */
  volumesOnly: boolean;
}

const REFUSALS = new Set(['INTEGRITY', 'SIGNATURE', 'UNTRUSTED']);

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new FerryError('CANCELLED', 'Staging was cancelled; the volume being copied was not kept. Copy this disc again to continue.');
}

async function exists(file: string): Promise<boolean> {
  return (await fsp.stat(file).catch(() => undefined)) !== undefined;
}

/** `dir` itself when it holds SHA256SUMS, else its one subfolder that does (a disc burnt with the bundle folder on it). */
export async function bundleFolderOn(dir: string): Promise<string> {
  if (await exists(path.join(dir, BUNDLE_FILES.sums))) return dir;
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  const bundles: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await exists(path.join(dir, entry.name, BUNDLE_FILES.sums)))) bundles.push(entry.name);
  }
  if (bundles.length === 1) return path.join(dir, bundles[0]!);
  if (bundles.length > 1) {
    throw new FerryError(
      'USAGE',
      `${dir} holds several bundles (${bundles.join(', ')}). Choose one of them as the disc folder, e.g. ${path.join(dir, bundles[0]!)}.`,
      { file: dir, bundles },
    );
  }
  return dir;
}

/**
 * The small files, from the disc, each re-checked as read (the disc could have been swapped since
 * openBundle): BUNDLE.json against SHA256SUMS, the signer key by fingerprint, the signature against
 * the trusted key. Only the missing ones are written; SHA256SUMS.sig last, so a STAGING folder
 * without it never passes for a bundle.
 */
async function stageSmallFiles(from: string, to: string, opened: OpenedBundle, key: TrustedKey): Promise<void> {
  const damaged = (file: string, what: string) =>
    new FerryError('INTEGRITY', `${file} on ${from} ${what} Was the disc changed while it was read? Copy this disc again.`, { file: path.join(from, file) });
  const read = (file: string) => readBundleFileBounded(from, file, 'INTEGRITY');
  const order = [BUNDLE_FILES.sums, BUNDLE_FILES.index, BUNDLE_FILES.signer, BUNDLE_FILES.verify, BUNDLE_FILES.signature];
  for (const file of order) {
    if (await exists(path.join(to, file))) continue;
    let bytes: Buffer;
    if (file === BUNDLE_FILES.sums) bytes = opened.sums;
    else bytes = await read(file);
    if (file === BUNDLE_FILES.index && createHash('sha256').update(bytes).digest('hex') !== opened.sumsEntries.get(BUNDLE_FILES.index)) {
      throw damaged(file, 'no longer matches SHA256SUMS.');
    }
    if (file === BUNDLE_FILES.signer && fingerprintOf(parseP256PublicKey(bytes.toString('utf8'), path.join(from, file))) !== opened.signer.fingerprint) {
      throw damaged(file, 'is no longer the key that signed this bundle.');
    }
    if (file === BUNDLE_FILES.signature && !verifyDer(key.publicKeyPem, opened.sums, Buffer.from(bytes.toString('ascii').trim(), 'base64'))) {
      throw damaged(file, 'no longer verifies.');
    }
    await writeFileAtomic(path.join(to, file), bytes);
  }
}

async function writeAll(handle: fsp.FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) offset += (await handle.write(chunk, offset)).bytesWritten;
}

/**
 * Copies one volume from the disc into a hidden temp file in STAGING, hashing as it goes; only a
 * copy of the right size and sha256 is fsynced and renamed into place.
 */
async function copyVolume(from: string, to: string, volume: BundleVolume, opts: StageOptions, advance: (n: number) => void): Promise<void> {
  const source = path.join(from, volume.file);
  const target = path.join(to, volume.file);
  const temp = tempPathFor(target);
  // A staging folder that fills (or a drive that fails) is named with the volume being copied.
  const failed = (err: unknown) => {
    throw writeFailure(err, { folder: to, item: `volume ${volume.file}`, file: temp }, 'choose another staging folder');
  };
  const handle = await fsp.open(temp, 'wx', 0o644).catch(failed);
  let closed = false;
  let kept = false;
  try {
    const hash = createHash('sha256');
    let copied = 0;
    for await (const chunk of readVolume(source)) {
      checkAborted(opts.signal);
      copied += chunk.length;
      if (copied > volume.size) break;
      hash.update(chunk);
      await writeAll(handle, chunk).catch(failed);
      advance(chunk.length);
    }
    if (copied !== volume.size) {
      throw new FerryError(
        'INTEGRITY',
        `Volume ${volume.file} on ${from} read as ${copied} bytes, expected ${volume.size}: the disc is damaged or changed while it was read. Nothing of it was staged; copy it from another disc or re-burn it.`,
        {
          volume: volume.file,
          file: source,
        },
      );
    }
    const actual = hash.digest('hex');
    if (actual !== volume.sha256) {
      throw new FerryError(
        'INTEGRITY',
        `Volume ${volume.file} on ${from} does not match SHA256SUMS (it hashes to ${actual}): the disc is damaged or the file was altered. Nothing of it was staged; copy it from another disc or re-burn it.`,
        { volume: volume.file, file: source, actual },
      );
    }
    await handle.sync().catch(failed);
    await handle.close();
    closed = true;
    await fsp.rename(temp, target);
    kept = true;
    await syncDir(to);
  } finally {
    if (!closed) await handle.close().catch(() => undefined);
    if (!kept) await fsp.rm(temp, { force: true });
  }
}

const mediumOf = (m: NonNullable<StageRequest['medium']>) => ({ id: m.id, ...(m.label ? { label: m.label } : {}), ...(m.seal ? { seal: m.seal } : {}) });

/**
 * Where the signed metadata (SHA256SUMS, its signature, BUNDLE.json, the signer's key) is read
 * from: the disc, or, for a disc that holds volumes only, STAGING, where an earlier disc put it.
 * An empty drive and a disc with neither are told apart, each saying what to do.
 */
async function metadataFolder(from: string, to: string): Promise<string> {
  if (await exists(path.join(from, BUNDLE_FILES.sums))) return from;
  const entries = await fsp.readdir(from).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT')
      throw new FerryError('NOT_FOUND', `${from} does not exist: is the disc mounted? Insert it, wait for it to mount, and try again.`, { file: from });
    throw err;
  });
  if (entries.length === 0) {
    throw new FerryError('NOT_FOUND', `The drive at ${from} is empty: no disc is in it, or the disc has not mounted yet. Insert the next disc and try again.`, {
      file: from,
      empty: true,
    });
  }
  if (await exists(path.join(to, BUNDLE_FILES.signature))) return to;
  throw new FerryError(
    'INVALID_INPUT',
    `The disc at ${from} holds no SHA256SUMS, and ${to} has no bundle staged yet to check its volumes against. Stage a disc that carries SHA256SUMS and its signature first (with a disc layout, every disc does), then this one.`,
    { file: from },
  );
}

export function untrusted(fingerprint: string, trusted: readonly TrustedKey[]): FerryError {
  const { message, revoked } = untrustedSigner(fingerprint, trusted);
  return new FerryError('UNTRUSTED', message, { fingerprint, ...(revoked ? { revoked } : {}) });
}

/**
 * Copies one disc's volumes into STAGING, each verified against the signed SHA256SUMS as it is
 * copied, and says which volumes of the bundle are still missing. Run once per disc, in any order;
 * a disc staged twice copies nothing the second time. Records one `media.staged` ledger event per
 * disc (`media.rejected` when the disc is refused).
 */
export async function stageDisc(engine: Engine, request: StageRequest, opts: StageOptions = {}): Promise<StageResult> {
  const to = path.resolve(request.to);
  let from = path.resolve(request.from);
  if (to === from) throw new FerryError('USAGE', `The staging folder must be another folder than the disc (${from}).`, { file: to });
  checkAborted(opts.signal);
  const trusted = await trustedKeysFor(engine, request.trust);
  let opened: OpenedBundle | undefined;
  const copiedNow: { file: string; size: number; sha256: string }[] = [];
  try {
    from = await bundleFolderOn(from);
    if (to === from) throw new FerryError('USAGE', `The staging folder must be another folder than the disc's bundle folder (${from}).`, { file: to });
    const metadataFrom = await metadataFolder(from, to);
    const volumesOnly = metadataFrom === to;
    opened = await openBundle(metadataFrom, trusted);
    const key = trusted.find((k) => k.fingerprint === opened!.signer.fingerprint);
    if (!opened.signer.trusted || !key) throw untrusted(opened.signer.fingerprint, trusted);
    const { index } = opened;
    const record = await checkStaging(to, opened);

    const onDisc: BundleVolume[] = [];
    for (const volume of index.volumes) {
      const stat = await fsp.stat(path.join(from, volume.file)).catch(() => undefined);
      if (!stat?.isFile()) continue;
      if (stat.size !== volume.size) {
        throw new FerryError(
          'INTEGRITY',
          `Volume ${volume.file} on ${from} is ${stat.size} bytes, expected ${volume.size}: the disc is damaged or the copy on it is incomplete. Nothing from this disc was staged; copy it from another disc or re-burn it.`,
          { volume: volume.file, file: path.join(from, volume.file) },
        );
      }
      onDisc.push(volume);
    }
    if (volumesOnly && onDisc.length === 0) {
      throw new FerryError(
        'INVALID_INPUT',
        `The disc at ${from} holds no SHA256SUMS and none of the volumes of ${index.name} (${opened.bundleDigest}), the bundle being staged in ${to}: it is another bundle's disc, or not a Ferry disc. Insert one of this bundle's discs.`,
        { file: from },
      );
    }

    await fsp.mkdir(to, { recursive: true });
    await removePartials(to);
    if (!volumesOnly) await stageSmallFiles(from, to, opened, key);

    const bytesTotal = onDisc.reduce((sum, v) => sum + v.size, 0);
    let bytesDone = 0;
    const alreadyStaged: string[] = [];
    for (const volume of onDisc) {
      checkAborted(opts.signal);
      const advance = (n: number) => {
        bytesDone += n;
        opts.onProgress?.({ bytesDone, bytesTotal, item: volume.file });
      };
      if (await isStaged(to, record, volume)) {
        alreadyStaged.push(volume.file);
        advance(volume.size);
        continue;
      }
      opts.onProgress?.({ bytesDone, bytesTotal, item: volume.file });
      await copyVolume(from, to, volume, opts, advance);
      const stat = await fsp.stat(path.join(to, volume.file));
      record.name = index.name;
      record.volumes[volume.file] = {
        size: volume.size,
        sha256: volume.sha256,
        mtimeMs: stat.mtimeMs,
        ino: stat.ino,
        from,
        stagedAt: new Date().toISOString(),
      };
      // Written after each volume, so a run stopped halfway keeps what it verified.
      await writeFileAtomic(path.join(to, STAGED_RECORD), JSON.stringify(record, null, 2) + '\n');
      copiedNow.push({ file: volume.file, size: volume.size, sha256: volume.sha256 });
    }

    const missing: string[] = [];
    for (const volume of index.volumes) if (!(await isStaged(to, record, volume))) missing.push(volume.file);
    const result: StageResult = {
      bundleDigest: opened.bundleDigest,
      name: index.name,
      signer: opened.signer,
      onThisDisc: onDisc.map((v) => v.file),
      copied: copiedNow.map((v) => v.file),
      alreadyStaged,
      missing,
      complete: missing.length === 0,
      from,
      to,
      totalVolumes: index.volumes.length,
      volumesOnly,
    };
    engine.ledger.append('media.staged', {
      bundle: result.bundleDigest,
      name: result.name,
      from,
      to,
      signer: result.signer.fingerprint,
      onThisDisc: result.onThisDisc,
      volumes: copiedNow,
      alreadyStaged,
      missing,
      complete: result.complete,
      ...(request.medium ? { medium: mediumOf(request.medium) } : {}),
      ...(volumesOnly ? { volumesOnly } : {}),
    });
    return result;
  } catch (err) {
    const envelope = toEnvelope(err);
    if (REFUSALS.has(envelope.code)) {
      engine.ledger.append('media.rejected', {
        from,
        to,
        ...(opened ? { bundle: opened.bundleDigest, name: opened.index.name, signer: opened.signer.fingerprint } : {}),
        ...(typeof envelope.details?.volume === 'string' ? { volume: envelope.details.volume } : {}),
        volumes: copiedNow,
        reason: { code: envelope.code, message: envelope.message },
        ...(request.medium ? { medium: mediumOf(request.medium) } : {}),
      });
    }
    throw err;
  }
}

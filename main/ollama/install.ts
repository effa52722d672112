import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Descriptor, ListedStore, ReadOnlyStore } from '../content/store.js';
import { syncDir, writeFileAtomic } from '../util/atomic.js';
import { FerryError } from '../util/errors.js';
import { hashFile } from '../util/hash-file.js';
import { streamToNewFile } from '../util/stream-to-file.js';
import { parseManifest, sha256Hex } from './manifest.js';
import { manifestPathParts, parseFullRef } from './names.js';
import { makeStagingDir, stagingTempPath, sweepStaleTemps } from './staging.js';
import { blobPath } from './store.js';
import { foreignStoreOwner, giveToOwner, makeDirs, OLLAMA_FILE_MODE, type StoreOwner } from './store-owner.js';

export interface InstallOptions {
  /** host/namespace/model:tag */
  ref: string;
  /** Written byte for byte: the model ID Ollama shows is the hash of these bytes. */
  manifestBytes: Buffer;
  /** Where the model's blobs are read from (the bundle's volumes). */
  blobs: ListedStore;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
}

export interface InstallResult {
  manifestPath: string;
  modelId: string;
  manifestDigest: string;
  /** Digests of blobs written by this call. */
  written: string[];
  /** Digests of blobs already present with the right content. */
  skipped: string[];
}

/**
 * Writes a model into an Ollama store (possibly NFS or a mounted volume): blobs first, each
 * verified while streamed into a temp file in a folder Ollama ignores; only when every blob of the
 * model has verified are they renamed into place, then the manifest last. Ollama never sees a model
 * whose blobs are not all there, and a model that fails leaves nothing behind in the store. Run as
 * root into a store someone else owns, everything it creates goes to that owner with Ollama's modes.
 */
export async function installModel(storeDir: string, opts: InstallOptions): Promise<InstallResult> {
  const { ref, manifestBytes, signal, onBytes } = opts;
  const name = parseFullRef(ref);
  const manifest = parseManifest(manifestBytes, ref, { ref });

  // Each digest once, config first, in manifest order; blobs the manifest does not name are not installed.
  const needed: Descriptor[] = [];
  for (const layer of [manifest.config, ...manifest.layers]) {
    if (needed.some((b) => b.digest === layer.digest)) continue;
    const source = opts.blobs.find(layer.digest);
    if (!source)
      throw new FerryError('INVALID_INPUT', `Model ${ref}: blob ${layer.digest} named in its manifest was not provided.`, { ref, blob: layer.digest });
    if (source.size !== layer.size) {
      throw new FerryError('INVALID_INPUT', `Model ${ref}: blob ${layer.digest} is ${source.size} bytes in the bundle but ${layer.size} in the manifest.`, {
        ref,
        blob: layer.digest,
      });
    }
    blobPath(storeDir, source.digest); // rejects a malformed digest before anything is written
    needed.push(source);
  }

  const owner = await foreignStoreOwner(storeDir);
  const blobsDir = path.join(storeDir, 'blobs');
  const manifestPath = path.join(storeDir, 'manifests', ...manifestPathParts(name));
  await makeDirs(blobsDir, owner);
  await makeDirs(path.join(storeDir, 'manifests'), owner);
  await sweepStaleTemps(blobsDir, path.dirname(manifestPath));
  const stagingDir = await makeStagingDir(blobsDir, owner);

  const written: string[] = [];
  const skipped: string[] = [];
  const staged: { temp: string; target: string; digest: string }[] = [];
  try {
    for (const source of needed) {
      signal?.throwIfAborted();
      const target = blobPath(storeDir, source.digest);
      if (await hasBlob(target, source, signal, onBytes)) {
        skipped.push(source.digest);
        continue;
      }
      const temp = stagingTempPath(stagingDir);
      staged.push({ temp, target, digest: source.digest });
      await stageBlob(temp, opts.blobs, source, ref, owner, signal, onBytes);
    }
    signal?.throwIfAborted();
    for (const blob of staged) {
      await fs.rename(blob.temp, blob.target);
      written.push(blob.digest);
    }
  } catch (err) {
    // A blob that failed, or a later one, means none of this model's new blobs is committed.
    for (const blob of staged) await fs.rm(blob.temp, { force: true });
    throw err;
  }
  if (written.length > 0) await syncDir(blobsDir);

  signal?.throwIfAborted();
  await makeDirs(path.dirname(manifestPath), owner);
  await writeFileAtomic(manifestPath, manifestBytes, OLLAMA_FILE_MODE, owner);
  const hex = sha256Hex(manifestBytes);
  return { manifestPath, modelId: hex.slice(0, 12), manifestDigest: `sha256:${hex}`, written, skipped };
}

/** True when `target` already holds exactly the source's bytes (checked by size, then by hashing). */
async function hasBlob(target: string, source: Descriptor, signal?: AbortSignal, onBytes?: (n: number) => void): Promise<boolean> {
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat?.isFile() || stat.size !== source.size) return false;
  return `sha256:${(await hashFile(target, { signal, onBytes })).sha256}` === source.digest;
}

function integrityError(ref: string, digest: string, why: string): FerryError {
  return new FerryError('INTEGRITY', `Model ${ref}: blob ${digest} ${why}; nothing was installed for it.`, { blob: digest, ref });
}

/** Streams a blob into `temp`, verifying size and digest; leaves it synced, closed and given to the store's owner. */
async function stageBlob(
  temp: string,
  blobs: ReadOnlyStore,
  source: Descriptor,
  ref: string,
  owner: StoreOwner | undefined,
  signal?: AbortSignal,
  onBytes?: (n: number) => void,
): Promise<void> {
  const hash = createHash('sha256');
  await streamToNewFile(async () => blobs.fetch(source), temp, {
    update: (chunk) => hash.update(chunk),
    maxBytes: source.size,
    tooLong: () => integrityError(ref, source.digest, `is longer than its declared ${source.size} bytes`),
    verify: (received) => {
      if (received !== source.size) throw integrityError(ref, source.digest, `is ${received} bytes, not the declared ${source.size}`);
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== source.digest) throw integrityError(ref, source.digest, `does not match its digest (the bytes hash to ${actual})`);
    },
    signal,
    onBytes,
  });
  await giveToOwner(temp, owner, OLLAMA_FILE_MODE);
}

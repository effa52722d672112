import fs from 'node:fs/promises';
import path from 'node:path';
import { installFromStore } from '../content/install-from-store.js';
import type { StagedInstall } from '../content/staged.js';
import type { Descriptor, ListedStore } from '../content/store.js';
import { tempFileSink } from '../content/temp-file-sink.js';
import { syncDir, writeFileAtomic } from '../util/atomic.js';
import { FerryError } from '../util/errors.js';
import { FoldersMade } from '../util/folders-made.js';
import { hashFile } from '../util/hash-file.js';
import { parseManifest, sha256Hex } from './manifest.js';
import { manifestPathParts, parseFullRef } from './names.js';
import { STAGING_DIR, stagingTempPath, sweepStaleTemps } from './staging.js';
import { blobPath } from './store.js';
import { foreignStoreOwner, giveToOwner, makeDirs, OLLAMA_FILE_MODE } from './store-owner.js';

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
  return installFromStore(await stageModel(storeDir, opts), opts.blobs, opts);
}

/**
 * Prepares a model's install: checks the manifest against the blobs on offer, finds the blobs the
 * store already holds (hashing them), and makes the staging folder. The blobs' bytes then go to
 * temp files there; `commit` renames them into blobs/ and writes the manifest last.
 */
export async function stageModel(
  storeDir: string,
  opts: Omit<InstallOptions, 'blobs'> & { blobs: Pick<ListedStore, 'find'> },
): Promise<StagedInstall<InstallResult>> {
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
  const stagingDir = path.join(blobsDir, STAGING_DIR);
  const skipped: string[] = [];
  const missing = new Set<string>();
  for (const source of needed) {
    signal?.throwIfAborted();
    if (await hasBlob(blobPath(storeDir, source.digest), source, signal, onBytes)) skipped.push(source.digest);
    else missing.add(source.digest);
  }
  // Nothing is created in the store before the first byte arrives; what is created is removed again on discard.
  const folders = new FoldersMade();
  const mkdirs = (dir: string) => makeDirs(dir, owner);
  let ready: Promise<void> | undefined;
  const prepareStore = () =>
    (ready ??= (async () => {
      await folders.make(blobsDir, mkdirs);
      await folders.make(path.join(storeDir, 'manifests'), mkdirs);
      await sweepStaleTemps(blobsDir, path.dirname(manifestPath));
      await folders.make(stagingDir, mkdirs);
    })());
  const staged = new Map<string, string>();
  const discard = async () => {
    for (const temp of staged.values()) await fs.rm(temp, { force: true });
    staged.clear();
    await folders.removeEmpty();
  };
  return {
    needs: missing,
    async open(digest) {
      await prepareStore();
      const temp = stagingTempPath(stagingDir);
      staged.set(digest, temp);
      return tempFileSink(
        temp,
        { folder: storeDir, item: `blob ${digest} of ${ref}` },
        { mode: OLLAMA_FILE_MODE, afterEnd: (file) => giveToOwner(file, owner, OLLAMA_FILE_MODE) },
      );
    },
    async commit() {
      await prepareStore();
      const written: string[] = [];
      try {
        for (const digest of missing) {
          const temp = staged.get(digest);
          if (!temp) throw new Error(`internal: blob ${digest} of ${ref} was never written`);
          await fs.rename(temp, blobPath(storeDir, digest));
          staged.delete(digest);
          written.push(digest);
        }
      } catch (err) {
        await discard();
        throw err;
      }
      if (written.length > 0) await syncDir(blobsDir);
      await makeDirs(path.dirname(manifestPath), owner);
      await writeFileAtomic(manifestPath, manifestBytes, OLLAMA_FILE_MODE, owner);
      const hex = sha256Hex(manifestBytes);
      return { manifestPath, modelId: hex.slice(0, 12), manifestDigest: `sha256:${hex}`, written, skipped };
    },
    discard,
    refuse: (digest, why) => integrityError(ref, digest, why),
  };
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

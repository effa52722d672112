import fs from 'node:fs/promises';
import path from 'node:path';
import { installFromStore } from '../content/install-from-store.js';
import { fanOut, type StagedInstall } from '../content/staged.js';
import type { Descriptor, ListedStore } from '../content/store.js';
import { tempFileSink } from '../content/temp-file-sink.js';
import { syncDir, writeFileAtomic } from '../util/atomic.js';
import { FerryError } from '../util/errors.js';
import { FoldersMade } from '../util/folders-made.js';
import { copyInto, holdsBlob, incompletePathFor, type BlobExpectation } from './blob-file.js';
import { etagKind, looksLikeLfs } from './etag.js';
import { parseHfManifest, type HfManifestFile } from './modelpack.js';
import { hfDisplayName, repoFolderName } from './names.js';

export interface HfInstallOptions {
  manifestBytes: Uint8Array;
  /** The layers' blobs (the config blob may be among them; it is not installed). */
  blobs: ListedStore;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
  /** 'auto' links snapshot files to blobs/ and copies where links fail; 'never' writes real files, as huggingface_hub does on Windows. */
  symlinks?: 'auto' | 'never';
}

export interface HfInstallResult {
  repoDir: string;
  commit: string;
  ref?: string;
  /** Digests (sha256:…) of the blobs this call wrote. */
  written: string[];
  /** Digests of the blobs already present with the right bytes. */
  skipped: string[];
}

/** One distinct blob of the revision and every file that holds it. */
interface BlobPlan {
  expect: BlobExpectation;
  source: Descriptor;
  files: HfManifestFile[];
  /** Where its verified bytes are once the blob phase is done. */
  at?: string;
  /** Written by this call into blobs/: may be moved rather than copied into snapshots/. */
  fresh?: boolean;
  /**
   * Keep blobs/<etag> even without links: a reader cannot tell this blob's etag kind from its
   * files' names and sizes, and the blob's name is then the only record of it.
   */
  keepBlob: boolean;
  /** Snapshot paths that already hold the right bytes as real files. */
  inPlace: Set<string>;
}

// Errors that mean "this file system or OS cannot make symlinks", not "you may not write here".
const NO_SYMLINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/**
 * Rebuilds one revision in a Hugging Face cache as huggingface_hub lays it out: blobs/<etag>,
 * snapshots/<commit>/<path> as relative links to them (or real files), refs/<ref> last. Every byte
 * is verified against both its OCI digest and its etag while it is written; nothing is written
 * before the whole manifest is checked; other repos, revisions and files are left alone.
 */
export async function installHfRepo(cache: string, opts: HfInstallOptions): Promise<HfInstallResult> {
  return installFromStore(await stageHfRepo(cache, opts), opts.blobs, opts);
}

/**
 * Prepares one revision's install: plans its blobs, finds those the cache already holds, and takes
 * the missing ones into `.incomplete` temp files beside blobs/<etag>. `commit` renames them, then
 * writes the snapshot entries, then the ref (what makes the revision reachable by name).
 */
export async function stageHfRepo(
  cache: string,
  opts: Omit<HfInstallOptions, 'blobs'> & { blobs: Pick<ListedStore, 'find'> },
): Promise<StagedInstall<HfInstallResult>> {
  const { signal, onBytes } = opts;
  const io = { ...(signal ? { signal } : {}), ...(onBytes ? { onBytes } : {}) };
  const manifest = parseHfManifest(opts.manifestBytes);
  const what = `${hfDisplayName(manifest.type, manifest.repoId)}@${manifest.commit}`;
  const repoDir = path.join(cache, repoFolderName(manifest.type, manifest.repoId));
  const blobsDir = path.join(repoDir, 'blobs');
  const snapshotDir = path.join(repoDir, 'snapshots', manifest.commit);
  const plans = planBlobs(manifest.files, opts.blobs, what);
  const mode = opts.symlinks ?? 'auto';

  const skipped: string[] = [];
  const missing: BlobPlan[] = [];
  for (const plan of plans) {
    signal?.throwIfAborted();
    const blobFile = path.join(blobsDir, plan.expect.etag);
    if (await holdsBlob(blobFile, plan.expect, io)) {
      plan.at = blobFile;
    } else if (mode === 'never') {
      for (const file of plan.files) {
        const target = path.join(snapshotDir, ...file.path.split('/'));
        if ((await fs.lstat(target).catch(() => undefined))?.isFile() && (await holdsBlob(target, plan.expect, io))) plan.inPlace.add(file.path);
      }
      plan.at = [...plan.inPlace].map((p) => path.join(snapshotDir, ...p.split('/')))[0];
    }
    if (plan.at) skipped.push(plan.expect.digest);
    else missing.push(plan);
  }
  const temps = new Map<BlobPlan, string>();
  // Nothing is created in the cache before the first byte arrives; what is created is removed again on discard.
  const folders = new FoldersMade();
  const discard = async () => {
    for (const temp of temps.values()) await fs.rm(temp, { force: true });
    temps.clear();
    await folders.removeEmpty();
  };
  return {
    needs: new Set(missing.map((p) => p.expect.digest)),
    async open(digest) {
      await folders.make(blobsDir);
      const sinks = [];
      for (const plan of missing.filter((p) => p.expect.digest === digest)) {
        const temp = incompletePathFor(path.join(blobsDir, plan.expect.etag));
        temps.set(plan, temp);
        sinks.push(await tempFileSink(temp, { folder: cache, item: plan.expect.what }));
      }
      return fanOut(sinks);
    },
    async commit() {
      const written: string[] = [];
      try {
        for (const plan of missing) {
          const temp = temps.get(plan);
          if (!temp) throw new Error(`internal: ${plan.expect.what} was never written`);
          plan.at = path.join(blobsDir, plan.expect.etag);
          await fs.rename(temp, plan.at);
          temps.delete(plan);
          plan.fresh = true;
          written.push(plan.expect.digest);
        }
      } catch (err) {
        await discard();
        throw err;
      }
      if (written.length > 0) await syncDir(blobsDir);
      await fs.mkdir(blobsDir, { recursive: true });
      await placeSnapshot(plans, blobsDir, snapshotDir, mode, signal);
      if (manifest.ref !== undefined) {
        const refFile = path.join(repoDir, 'refs', ...manifest.ref.split('/'));
        await fs.mkdir(path.dirname(refFile), { recursive: true });
        await writeFileAtomic(refFile, manifest.commit);
      }
      return { repoDir, commit: manifest.commit, ...(manifest.ref !== undefined ? { ref: manifest.ref } : {}), written, skipped };
    },
    discard,
    refuse: (digest, why) => {
      const plan = plans.find((p) => p.expect.digest === digest);
      return new FerryError('INTEGRITY', `${plan?.expect.what ?? `blob ${digest} of ${what}`} ${why}; it was not installed.`, {
        blob: digest,
        ...(plan ? { etag: plan.expect.etag } : {}),
      });
    },
    gitSha1Of: (digest) => {
      const plan = plans.find((p) => p.expect.digest === digest && etagKind(p.expect.etag) === 'git-sha1');
      return plan?.expect.etag;
    },
  };
}

/** Snapshot entries, once every blob is in: relative links to blobs/, or real files where links fail. */
async function placeSnapshot(plans: BlobPlan[], blobsDir: string, snapshotDir: string, mode: 'auto' | 'never', signal?: AbortSignal): Promise<void> {
  const touched = new Set<string>();
  let linksWork = mode === 'auto';
  let linksMade = 0;
  for (const plan of plans) {
    for (const file of plan.files) {
      signal?.throwIfAborted();
      const target = path.join(snapshotDir, ...file.path.split('/'));
      await fs.mkdir(path.dirname(target), { recursive: true });
      touched.add(path.dirname(target));
      if (linksWork) {
        try {
          await placeLink(target, path.relative(path.dirname(target), path.join(blobsDir, plan.expect.etag)));
          linksMade++;
          continue;
        } catch (err) {
          if (!NO_SYMLINKS.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
          linksWork = false;
        }
      }
      // Without links, new blobs move into the snapshot as huggingface_hub moves them (no second copy),
      // unless a link made earlier in this call points at them.
      await placeCopy(target, file.path, plan, linksMade === 0);
    }
  }
  for (const dir of touched) await syncDir(dir);
}

function planBlobs(files: readonly HfManifestFile[], blobs: Pick<ListedStore, 'find'>, what: string): BlobPlan[] {
  const byEtag = new Map<string, BlobPlan>();
  for (const file of files) {
    const prior = byEtag.get(file.etag);
    if (prior) {
      if (prior.expect.digest !== file.digest || prior.expect.size !== file.size) {
        throw new FerryError(
          'INTEGRITY',
          `Files ${prior.files[0]!.path} and ${file.path} of ${what} share etag ${file.etag} but not digest and size. Ferry refuses to install it; nothing was written.`,
          {
            path: file.path,
          },
        );
      }
      prior.files.push(file);
      continue;
    }
    const source = blobs.find(file.digest);
    if (!source)
      throw new FerryError('INVALID_INPUT', `${file.path} of ${what}: blob ${file.digest} named in its manifest was not provided.`, {
        path: file.path,
        blob: file.digest,
      });
    if (source.size !== file.size) {
      throw new FerryError(
        'INVALID_INPUT',
        `${file.path} of ${what}: blob ${file.digest} is ${source.size} bytes in the bundle but ${file.size} in the manifest.`,
        { path: file.path, blob: file.digest },
      );
    }
    byEtag.set(file.etag, {
      expect: { digest: file.digest, etag: file.etag, size: file.size, what: `${file.path} of ${what}` },
      source,
      files: [file],
      inPlace: new Set(),
      keepBlob: false,
    });
  }
  const plans = [...byEtag.values()];
  for (const plan of plans) plan.keepBlob = plan.files.some((f) => (etagKind(f.etag) === 'sha256') !== looksLikeLfs(f.path, f.size));
  return plans;
}

/** Makes `target` a symlink to `link`, replacing whatever else is there in one rename. */
async function placeLink(target: string, link: string): Promise<void> {
  try {
    await fs.symlink(link, target);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const existing = await fs.lstat(target);
  if (existing.isSymbolicLink() && (await fs.readlink(target)) === link) return;
  const temp = incompletePathFor(target);
  await fs.symlink(link, temp);
  try {
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/**
 * A real file at `target`, as huggingface_hub writes where there are no symlinks: a blob this
 * call wrote is moved out of blobs/ into the first file that needs it ('never' mode, as
 * huggingface_hub does with new blobs) unless it must stay as a record of its etag; anything
 * else is copied.
 */
async function placeCopy(target: string, filePath: string, plan: BlobPlan, move: boolean): Promise<void> {
  if (plan.inPlace.has(filePath)) return;
  const from = plan.at!;
  if (move && plan.fresh && !plan.keepBlob) {
    await fs.rename(from, target);
    plan.at = target;
    plan.fresh = false;
  } else {
    await copyInto(from, target);
  }
  plan.inPlace.add(filePath);
}

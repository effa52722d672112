import fs from 'node:fs/promises';
import path from 'node:path';
import { installFromStore } from '../content/install-from-store.js';
import { fanOut, type StagedInstall } from '../content/staged.js';
import type { ListedStore } from '../content/store.js';
import { tempFileSink } from '../content/temp-file-sink.js';
import { syncDir, tempPathFor } from '../util/atomic.js';
import { FerryError } from '../util/errors.js';
import { FoldersMade } from '../util/folders-made.js';
import { hashFile } from '../util/hash-file.js';
import { isInside, lstatOrNothing, placeInside, realRootOf } from '../util/inside-folder.js';
import { parseFilesManifest, type FileLayer } from './manifest.js';

export interface RestoreOptions {
  /** The files artifact's manifest (ORAS file convention). */
  manifestBytes: Uint8Array;
  blobs: ListedStore;
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
}

export interface RestoreResult {
  /** Titles (paths relative to the folder, `/`-separated) written by this call, in manifest order. */
  written: string[];
  /** Titles already there with exactly the right content. */
  skipped: string[];
}

type Target = RestorePlanEntry;

/**
 * Restores a files artifact into `dir`, as `oras pull -o DIR` would, but all-or-refuse: the
 * manifest's titles are checked first, then every target (planRestore: a file already there with other content,
 * or a symbolic link in DIR leading outside it, refuses the whole restore before a byte is written).
 * Each file then streams into a temp file beside its target, is verified against its digest and
 * renamed into place; files already present with the right content are skipped.
 */
export async function restoreFiles(dir: string, opts: RestoreOptions): Promise<RestoreResult> {
  return installFromStore(await stageRestore(dir, opts), opts.blobs, opts);
}

/**
 * Prepares a restore: checks the titles and every target, then takes each file's bytes into a temp
 * file beside it. `commit` renames them to their titles; `discard` removes the temps and the
 * folders the restore made.
 */
export async function stageRestore(
  dir: string,
  opts: Omit<RestoreOptions, 'blobs'> & { blobs: Pick<ListedStore, 'find'> },
): Promise<StagedInstall<RestoreResult>> {
  const { signal, onBytes } = opts;
  const layers = parseFilesManifest(opts.manifestBytes);
  for (const layer of layers) {
    const source = opts.blobs.find(layer.digest);
    if (!source)
      throw new FerryError('INVALID_INPUT', `${layer.title}: its content ${layer.digest} was not provided.`, { title: layer.title, blob: layer.digest });
    if (source.size !== layer.size) {
      throw new FerryError(
        'INVALID_INPUT',
        `${layer.title}: its content ${layer.digest} is ${source.size} bytes in the bundle but ${layer.size} in the manifest.`,
        {
          title: layer.title,
          blob: layer.digest,
        },
      );
    }
  }

  const root = path.resolve(dir);
  const planned = await planRestore(root, layers, signal, onBytes);
  const toWrite = planned.toWrite;
  const skipped = planned.skipped.map((entry) => entry.title);
  const folders = new FoldersMade();
  const temps = new Map<Target, string>();
  const discard = async () => {
    for (const temp of temps.values()) await fs.rm(temp, { force: true });
    temps.clear();
    await folders.removeEmpty();
  };
  let realRoot: string | undefined;
  return {
    needs: new Set(toWrite.map((t) => t.digest)),
    async open(digest) {
      if (realRoot === undefined) {
        await folders.make(root);
        realRoot = await fs.realpath(root);
      }
      const sinks = [];
      for (const target of toWrite.filter((t) => t.digest === digest)) {
        await makeParent(root, realRoot, target, folders);
        const temp = tempPathFor(target.file);
        temps.set(target, temp);
        sinks.push(await tempFileSink(temp, { folder: root, item: `file ${target.title}` }));
      }
      return fanOut(sinks);
    },
    async commit() {
      const touched = new Set<string>();
      try {
        for (const target of toWrite) {
          const temp = temps.get(target);
          if (!temp) throw new Error(`internal: ${target.title} was never written`);
          if (await lstatOrNothing(target.file)) {
            // Also what a file system that ignores letter case does with titles `A` and `a`.
            throw new FerryError('USAGE', `${target.file} appeared while restoring, so it was left as it is. Choose an empty folder.`, {
              dir: root,
              file: target.file,
            });
          }
          await fs.rename(temp, target.file);
          temps.delete(target);
          for (let d = path.dirname(target.file); ; d = path.dirname(d)) {
            touched.add(d);
            if (d === root || path.dirname(d) === d) break;
          }
        }
      } catch (err) {
        await discard();
        throw err;
      }
      for (const d of touched) await syncDir(d);
      return { written: toWrite.map((t) => t.title), skipped };
    },
    discard,
    refuse: (digest, why) => {
      const target = toWrite.find((t) => t.digest === digest);
      return target ? integrityError(target, why) : new FerryError('INTEGRITY', `Content ${digest} ${why}; nothing was written for it.`, { blob: digest });
    },
  };
}

/** Makes the folders a file needs, checking they stay inside the root (a link swapped in since planRestore must not be followed out). */
async function makeParent(root: string, realRoot: string, target: Target, folders: FoldersMade): Promise<void> {
  const parent = path.dirname(target.file);
  await folders.make(parent);
  if (!isInside(realRoot, await fs.realpath(parent))) {
    throw new FerryError('USAGE', `${parent} now leads outside ${root} (a symbolic link appeared while restoring). Choose an empty folder.`, {
      dir: root,
      file: target.file,
    });
  }
}

/** A file of the artifact and where it lands, links inside the folder followed. */
export interface RestorePlanEntry extends FileLayer {
  file: string;
  real: string;
}

/**
 * Sorts titles into those to write and those already present, refusing the lot when any target is
 * taken by other content, a folder, a link, or lies (through a symbolic link in `root`) outside it.
 */
export async function planRestore(
  root: string,
  layers: FileLayer[],
  signal?: AbortSignal,
  onBytes?: (n: number) => void,
): Promise<{ toWrite: RestorePlanEntry[]; skipped: RestorePlanEntry[] }> {
  const rootStat = await fs.stat(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (rootStat && !rootStat.isDirectory()) throw new FerryError('USAGE', `${root} is not a folder. Choose a folder to restore the files into.`, { dir: root });
  const realRoot = await realRootOf(root);

  const toWrite: RestorePlanEntry[] = [];
  const skipped: RestorePlanEntry[] = [];
  const problems: { file: string; why: string }[] = [];
  const byRealPath = new Map<string, string>();
  for (const layer of layers) {
    signal?.throwIfAborted();
    const placed = await placeInside(root, realRoot, layer.title.split('/'));
    const file = placed.path;
    let { missing, problem } = placed;
    if (!problem) {
      const other = byRealPath.get(placed.real);
      if (other !== undefined) problem = `${file} is the same place as ${path.join(root, other)} (through a symbolic link)`;
      byRealPath.set(placed.real, layer.title);
    }
    if (!problem && !missing) {
      const stat = await lstatOrNothing(file);
      if (!stat) missing = true;
      else if (!stat.isFile())
        problem = `${file} exists and is ${stat.isDirectory() ? 'a folder' : stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}`;
      else if (stat.size !== layer.size || `sha256:${(await hashFile(file, { signal, onBytes })).sha256}` !== layer.digest)
        problem = `${file} exists with other content`;
    }
    if (problem) problems.push({ file, why: problem });
    else if (missing) toWrite.push({ ...layer, file, real: placed.real });
    else skipped.push({ ...layer, file, real: placed.real });
  }

  if (problems.length > 0) {
    const shown = problems.slice(0, 5).map((p) => p.why);
    const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
    throw new FerryError(
      'USAGE',
      `Cannot restore into ${root}: ${shown.join('; ')}${more}. Nothing was written. Choose an empty folder, or move what is in the way.`,
      {
        dir: root,
        files: problems.map((p) => p.file),
      },
    );
  }
  return { toWrite, skipped };
}

function integrityError(target: Target, why: string, details: Record<string, unknown> = {}): FerryError {
  return new FerryError('INTEGRITY', `${target.title}: its content ${why}; nothing was written for it. The bundle is damaged: verify it, or export it again.`, {
    title: target.title,
    blob: target.digest,
    ...details,
  });
}

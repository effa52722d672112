import fs from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../util/errors.js';
import { isInside } from '../util/inside-folder.js';
import { etagKind } from './etag.js';

/** One file of snapshots/<commit>/: a link into blobs/ (the usual cache) or a real file (Windows without symlinks). */
export type SnapshotEntry =
  { kind: 'link'; path: string; size: number; etag: string; blob: string } | { kind: 'file'; path: string; size: number; file: string };

/** Downloads in progress (huggingface_hub's `<etag>.incomplete`, Ferry's `<name>.<random>.incomplete`). */
export function isIncomplete(name: string): boolean {
  return name.endsWith('.incomplete');
}

/**
 * Every file of one revision, sorted by path ('/'-separated). Links must resolve to a file directly
 * inside the repo's own blobs/ folder; anything else is refused, so a crafted cache cannot make
 * Ferry carry files from elsewhere on the disk.
 */
export async function readSnapshot(repoDir: string, commit: string, what: string): Promise<SnapshotEntry[]> {
  const root = path.join(repoDir, 'snapshots', commit);
  // snapshots/ or snapshots/<commit> linked elsewhere would carry files from outside the cache.
  const realRoot = await fs.realpath(root);
  if (!isInside(await fs.realpath(repoDir), realRoot)) {
    throw new FerryError(
      'INVALID_INPUT',
      `The snapshot folder of ${what} (${root}) leads to ${realRoot}, outside the cache; Ferry does not carry it. Replace the link with the folder itself, or download the repo again.`,
      {
        path: root,
        target: realRoot,
      },
    );
  }
  const blobsDir = await fs.realpath(path.join(repoDir, 'blobs')).catch(() => undefined);
  const entries: SnapshotEntry[] = [];

  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const dirent of await fs.readdir(dir, { withFileTypes: true })) {
      const rel = prefix + dirent.name;
      const full = path.join(dir, dirent.name);
      if (dirent.isDirectory()) {
        await walk(full, `${rel}/`);
      } else if (dirent.isSymbolicLink()) {
        entries.push(await readLink(full, rel, blobsDir, what));
      } else if (dirent.isFile()) {
        if (isIncomplete(dirent.name)) continue;
        entries.push({ kind: 'file', path: rel, size: (await fs.stat(full)).size, file: full });
      } else {
        throw new FerryError('INVALID_INPUT', `Snapshot entry ${rel} of ${what} (${full}) is not a file or a link. Remove it, or download the repo again.`, {
          path: full,
        });
      }
    }
  };
  await walk(root, '');
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function readLink(full: string, rel: string, blobsDir: string | undefined, what: string): Promise<SnapshotEntry> {
  const target = await fs.readlink(full);
  let real: string;
  try {
    real = await fs.realpath(full);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new FerryError(
      'INVALID_INPUT',
      `Snapshot file ${rel} of ${what} links to ${target}, which is missing: the cache is incomplete. Download the repo again (huggingface-cli download).`,
      {
        path: full,
        target,
      },
    );
  }
  if (!blobsDir || path.dirname(real) !== blobsDir) {
    throw new FerryError(
      'INVALID_INPUT',
      `Snapshot file ${rel} of ${what} links to ${target}, outside the repo's blobs/ folder; Ferry does not carry it. Remove that link or download the repo again.`,
      {
        path: full,
        target,
      },
    );
  }
  const etag = path.basename(real);
  if (!etagKind(etag)) {
    throw new FerryError(
      'INVALID_INPUT',
      `Snapshot file ${rel} of ${what} links to blobs/${etag}, which is not named by a Hugging Face etag (40 or 64 lowercase hex). Download the repo again.`,
      {
        path: full,
        target,
      },
    );
  }
  const stat = await fs.stat(real);
  if (!stat.isFile())
    throw new FerryError('INVALID_INPUT', `Snapshot file ${rel} of ${what} links to blobs/${etag}, which is not a file. Download the repo again.`, {
      path: full,
      target,
    });
  return { kind: 'link', path: rel, size: stat.size, etag, blob: real };
}

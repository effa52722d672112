import fs from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../util/errors.js';
import { targetPlacer, type Placement } from '../util/inside-folder.js';
import type { PlannedFile, TargetPlan } from '../util/target-plan.js';
import { holdsBlob } from './blob-file.js';
import { parseHfManifest, type HfManifestFile } from './modelpack.js';
import { hfDisplayName, repoFolderName } from './names.js';

/**
 * What installing one revision writes into the cache at `cache`, before anything is written:
 * blobs/<etag> not already there, snapshots/<commit>/<path>, refs/<ref>. A commit already
 * installed with other content for one of its files is refused: a commit never changes.
 */
export async function planHfInstall(cache: string, manifestBytes: Uint8Array): Promise<TargetPlan> {
  const manifest = parseHfManifest(manifestBytes);
  const what = `${hfDisplayName(manifest.type, manifest.repoId)}@${manifest.commit}`;
  const repoFolder = repoFolderName(manifest.type, manifest.repoId);
  const files: PlannedFile[] = [];
  // blobs/ may be a link to a bigger disk, as huggingface_hub allows; snapshots/ and refs/ stay in the cache.
  const placer = await targetPlacer(
    cache,
    (folder) => folder === `${repoFolder}/blobs`,
    (placed) => refuse(cache, what, placed),
  );
  const { linkedOut } = placer;
  const place = (segments: string[]) => placer.place([repoFolder, ...segments]);

  const byEtag = new Map<string, HfManifestFile>();
  for (const file of manifest.files) if (!byEtag.has(file.etag)) byEtag.set(file.etag, file);
  for (const [etag, file] of byEtag) {
    const placed = await place(['blobs', etag]);
    const stat = placed.missing ? undefined : await fs.stat(placed.path).catch(() => undefined);
    files.push({ path: placed.real, content: file.digest, newBytes: stat?.isFile() && stat.size === file.size ? 0 : file.size });
  }
  for (const file of manifest.files) {
    const placed = await place(['snapshots', manifest.commit, ...file.path.split('/')]);
    if (!placed.missing) await refuseChangedCommit(placed.path, file, what);
    files.push({ path: placed.real, content: file.digest, newBytes: 0 });
  }
  if (manifest.ref !== undefined) {
    const placed = await place(['refs', ...manifest.ref.split('/')]);
    files.push({ path: placed.real, content: `commit ${manifest.commit}`, newBytes: manifest.commit.length });
  }
  return { files, linkedOut };
}

function refuse(cache: string, what: string, placed: Placement): never {
  throw new FerryError(
    'USAGE',
    `Cannot install ${what} into the Hugging Face cache ${cache}: ${placed.problem}. Nothing was written. Remove the link, or choose the cache folder itself.`,
    {
      dir: cache,
      file: placed.path,
    },
  );
}

/** A file of an installed commit must already be exactly what the bundle says, or be absent. */
async function refuseChangedCommit(target: string, file: HfManifestFile, what: string): Promise<void> {
  const stat = await fs.lstat(target).catch(() => undefined);
  if (!stat) return;
  let same: boolean;
  if (stat.isSymbolicLink()) {
    // A snapshot link names its blob: ../../blobs/<etag>, one more ../ per sub-folder. The blob itself is checked, and repaired, by the install.
    const link = await fs.readlink(target);
    same = path.basename(link) === file.etag && path.basename(path.dirname(link)) === 'blobs';
  } else {
    same = stat.isFile() && (await holdsBlob(target, { ...file, what: `${file.path} of ${what}` }));
  }
  if (!same) {
    throw new FerryError(
      'INTEGRITY',
      `${what} is already installed, and its ${file.path} holds other content than this bundle's (${file.digest}). A commit never changes: the bundle or the installed copy is not what it claims. Nothing was written.`,
      { file: target, path: file.path, blob: file.digest },
    );
  }
}

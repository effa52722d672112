import fs from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../util/errors.js';
import { targetPlacer, type Placement } from '../util/inside-folder.js';
import type { PlannedFile, TargetPlan } from '../util/target-plan.js';
import { manifestPathParts, parseFullRef } from './names.js';
import { parseManifest, sha256Hex } from './manifest.js';
import { blobPath } from './store.js';

/** Ollama's blobs/ may be a link to a bigger disk; every other folder of the store stays inside it. */
const mayLinkOut = (folder: string) => folder === 'blobs';

function refuse(store: string, ref: string, placed: Placement): never {
  throw new FerryError(
    'USAGE',
    `Cannot install ${ref} into the Ollama store ${store}: ${placed.problem}. Nothing was written. Remove the link, or choose the store folder itself.`,
    {
      dir: store,
      file: placed.path,
      ref,
    },
  );
}

async function sizeOf(file: string): Promise<number | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  return stat?.isFile() ? stat.size : undefined;
}

/**
 * What installing model `ref` writes into the store at `store`, before anything is written: each
 * blob not already there (by size; the install re-hashes), and the manifest under manifests/.
 */
export async function planModelInstall(store: string, ref: string, manifestBytes: Buffer): Promise<TargetPlan> {
  const manifest = parseManifest(manifestBytes, ref, { ref });
  const files: PlannedFile[] = [];
  const { place, linkedOut, realRoot: realStore } = await targetPlacer(store, mayLinkOut, (placed) => refuse(store, ref, placed));
  for (const layer of [manifest.config, ...manifest.layers]) {
    const placed = await place(['blobs', path.basename(blobPath(store, layer.digest))]);
    const present = !placed.missing && (await sizeOf(placed.path)) === layer.size;
    files.push({ path: placed.real, content: layer.digest, newBytes: present ? 0 : layer.size });
  }
  const placed = await place(['manifests', ...manifestPathParts(parseFullRef(ref))]);
  const existing = placed.missing ? undefined : await fs.readFile(placed.path).catch(() => undefined);
  const same = existing !== undefined && existing.equals(manifestBytes);
  // Ollama names are matched without regard to case: two refs differing in case are one model.
  files.push({
    path: placed.real,
    key: `${realStore ?? store}#${ref.toLowerCase()}`,
    content: `sha256:${sha256Hex(manifestBytes)}`,
    newBytes: same ? 0 : manifestBytes.length,
  });
  return { files, linkedOut };
}

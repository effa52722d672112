import fs from 'node:fs/promises';
import path from 'node:path';
import type { BundleVolume } from '../../shared/bundle.js';
import { syncDir } from '../util/atomic.js';
import { BUNDLE_FILES } from './write.js';

/** One disc of a bundle laid out for burning: its folder inside the bundle folder, and its volumes. */
export interface DiscFolder {
  folder: string;
  volumes: string[];
  /** Everything on the disc: its volumes and the signed metadata. */
  bytes: number;
}

function discFolderName(n: number, total: number): string {
  return `disc-${String(n).padStart(Math.max(2, String(total).length), '0')}`;
}

/**
 * Lays a finished bundle folder out as discs: disc-01/, disc-02/, … each with one volume and the
 * signed metadata (BUNDLE.json, SHA256SUMS and its signature, the signer's key, VERIFY.txt), so
 * every disc checks alone with `sha256sum -c --ignore-missing SHA256SUMS` and openssl. The
 * signature is removed first from the flat folder and copied last into each disc: a layout cut
 * short never leaves a folder that passes for a whole bundle (takeBackDiscs undoes it).
 */
export async function arrangeDiscs(out: string, volumes: readonly BundleVolume[]): Promise<DiscFolder[]> {
  const metadata = [BUNDLE_FILES.index, BUNDLE_FILES.sums, BUNDLE_FILES.signer, BUNDLE_FILES.verify];
  const metadataBytes = (await Promise.all([...metadata, BUNDLE_FILES.signature].map((f) => fs.stat(path.join(out, f))))).reduce((sum, s) => sum + s.size, 0);
  const discs = volumes.map((v, i) => ({ folder: discFolderName(i + 1, volumes.length), volumes: [v.file], bytes: v.size + metadataBytes }));
  const signature = await fs.readFile(path.join(out, BUNDLE_FILES.signature));
  await fs.rm(path.join(out, BUNDLE_FILES.signature));
  await syncDir(out);
  for (const [i, disc] of discs.entries()) {
    const dir = path.join(out, disc.folder);
    await fs.mkdir(dir, { recursive: true });
    for (const file of metadata) await fs.copyFile(path.join(out, file), path.join(dir, file));
    await fs.rename(path.join(out, volumes[i]!.file), path.join(dir, volumes[i]!.file));
  }
  for (const disc of discs) {
    await fs.writeFile(path.join(out, disc.folder, BUNDLE_FILES.signature), signature);
    await syncDir(path.join(out, disc.folder));
  }
  for (const file of metadata) await fs.rm(path.join(out, file));
  await syncDir(out);
  return discs;
}

/**
 * Takes back a disc layout an export did not finish (it stopped while laying the bundle out, its
 * progress record still beside it): each disc folder's volume returns to the bundle folder and the
 * folder's copies of the metadata go, so the export can check its volumes and lay them out again.
 * A disc folder holding anything else is left, and the bundle folder then says what it holds.
 */
export async function takeBackDiscs(out: string, volumeFiles: readonly string[]): Promise<void> {
  const volumes = new Set(volumeFiles);
  const copies = new Set<string>(Object.values(BUNDLE_FILES));
  for (const entry of await fs.readdir(out, { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^disc-\d{2,}$/.test(entry.name)) continue;
    const dir = path.join(out, entry.name);
    const files = await fs.readdir(dir);
    if (!files.every((f) => volumes.has(f) || copies.has(f))) continue;
    await fs.rm(path.join(dir, BUNDLE_FILES.signature), { force: true });
    for (const file of files.filter((f) => volumes.has(f))) await fs.rename(path.join(dir, file), path.join(out, file));
    for (const file of files.filter((f) => copies.has(f))) await fs.rm(path.join(dir, file), { force: true });
    await fs.rmdir(dir);
  }
  await syncDir(out);
}

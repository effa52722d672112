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
 * signature is copied last into each disc and removed first from the flat folder: a layout cut
 * short never leaves a folder that passes for a whole bundle.
 */
export async function arrangeDiscs(out: string, volumes: readonly BundleVolume[]): Promise<DiscFolder[]> {
  const metadata = [BUNDLE_FILES.index, BUNDLE_FILES.sums, BUNDLE_FILES.signer, BUNDLE_FILES.verify];
  const metadataBytes = (await Promise.all([...metadata, BUNDLE_FILES.signature].map((f) => fs.stat(path.join(out, f))))).reduce((sum, s) => sum + s.size, 0);
  const discs = volumes.map((v, i) => ({ folder: discFolderName(i + 1, volumes.length), volumes: [v.file], bytes: v.size + metadataBytes }));
  for (const [i, disc] of discs.entries()) {
    const dir = path.join(out, disc.folder);
    await fs.mkdir(dir, { recursive: true });
    for (const file of metadata) await fs.copyFile(path.join(out, file), path.join(dir, file));
    await fs.rename(path.join(out, volumes[i]!.file), path.join(dir, volumes[i]!.file));
  }
  for (const disc of discs) {
    await fs.copyFile(path.join(out, BUNDLE_FILES.signature), path.join(out, disc.folder, BUNDLE_FILES.signature));
    await syncDir(path.join(out, disc.folder));
  }
  await fs.rm(path.join(out, BUNDLE_FILES.signature));
  for (const file of metadata) await fs.rm(path.join(out, file));
  await syncDir(out);
  return discs;
}

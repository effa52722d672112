import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { BundleInspection } from '../../shared/contract/import.js';
import { FerryError } from '../util/errors.js';
import { readBundleFileBounded } from './index-limits.js';
import { parseBundleIndex } from './open.js';
import { BUNDLE_FILES } from './write.js';

/** A bundle folder's BUNDLE.json as it is, nothing verified: what it names, and which volumes are here. */
export async function inspectBundle(dir: string): Promise<BundleInspection> {
  let raw: Buffer;
  try {
    raw = await readBundleFileBounded(dir, BUNDLE_FILES.index, 'INVALID_INPUT');
  } catch (err) {
    if (err instanceof FerryError) throw err;
    throw new FerryError('NOT_FOUND', `${path.join(dir, BUNDLE_FILES.index)} cannot be read: is ${dir} a Ferry bundle folder?`, { file: BUNDLE_FILES.index });
  }
  const index = parseBundleIndex(raw, 'INVALID_INPUT');
  const sums = await fsp.readFile(path.join(dir, BUNDLE_FILES.sums)).catch(() => undefined);
  const present = new Set(await fsp.readdir(dir));
  const { ledger: _ledger, blobs, volumes, ...summary } = index;
  return {
    ...summary,
    bundleDigest: sums ? `sha256:${createHash('sha256').update(sums).digest('hex')}` : null,
    blobCount: blobs.length,
    volumes: volumes.map((v) => ({ ...v, present: present.has(v.file) })),
    verified: false,
  };
}

import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { BundleVolume } from '../../shared/bundle.js';
import type { OpenedBundle } from '../bundle/open.js';
import { BUNDLE_FILES } from '../bundle/write.js';
import { FerryError } from '../util/errors.js';

/**
 * Which volumes of the bundle in STAGING were copied and found matching SHA256SUMS, and what each
 * file looked like right after (size, mtime, inode). A later disc skips a volume whose file is
 * unchanged instead of re-reading it: a staged BD-R volume is 25 GB, and `ferry import` verifies
 * every volume again before writing anything, so this record only saves work, it never vouches
 * for bytes on its own.
 */
export const STAGED_RECORD = '.ferry-staged.json';

export interface StagedVolume {
  size: number;
  sha256: string;
  mtimeMs: number;
  ino: number;
  from: string;
  stagedAt: string;
}

export interface StagedRecord {
  bundle: string;
  name: string;
  volumes: Record<string, StagedVolume>;
}

function isOurPartial(name: string): boolean {
  return name.startsWith('.') && name.includes('.ferry-') && name.endsWith('.partial');
}

async function readStagedRecord(to: string, bundleDigest: string): Promise<StagedRecord> {
  const empty: StagedRecord = { bundle: bundleDigest, name: '', volumes: {} };
  try {
    const parsed = JSON.parse(await fsp.readFile(path.join(to, STAGED_RECORD), 'utf8')) as Partial<StagedRecord>;
    if (parsed.bundle !== bundleDigest || typeof parsed.volumes !== 'object' || parsed.volumes === null) return empty;
    return { bundle: bundleDigest, name: String(parsed.name ?? ''), volumes: parsed.volumes };
  } catch {
    return empty;
  }
}

/** True when STAGING holds `volume` as it was when this site copied and verified it. */
export async function isStaged(to: string, record: StagedRecord, volume: BundleVolume): Promise<boolean> {
  const entry = record.volumes[volume.file];
  if (!entry || entry.sha256 !== volume.sha256 || entry.size !== volume.size) return false;
  const stat = await fsp.stat(path.join(to, volume.file)).catch(() => undefined);
  return Boolean(stat?.isFile() && stat.size === volume.size && stat.mtimeMs === entry.mtimeMs && stat.ino === entry.ino);
}

/**
 * STAGING must be empty (or not exist yet), or hold this very bundle (the same SHA256SUMS bytes)
 * from earlier discs. Returns the staged record to build on.
 */
export async function checkStaging(to: string, opened: OpenedBundle): Promise<StagedRecord> {
  const stat = await fsp.stat(to).catch(() => undefined);
  if (!stat) return { bundle: opened.bundleDigest, name: opened.index.name, volumes: {} };
  if (!stat.isDirectory()) throw new FerryError('USAGE', `${to} is not a folder. Choose a staging folder (it is created when missing).`, { file: to });
  const stagedSums = await fsp.readFile(path.join(to, BUNDLE_FILES.sums)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (stagedSums) {
    if (stagedSums.equals(opened.sums)) return readStagedRecord(to, opened.bundleDigest);
    const stagedDigest = `sha256:${createHash('sha256').update(stagedSums).digest('hex')}`;
    throw new FerryError(
      'USAGE',
      `${to} already holds bundle ${stagedDigest} from earlier discs, but this disc carries bundle ${opened.bundleDigest} (${opened.index.name}). Stage each bundle into its own folder: choose another staging folder, or finish importing the other bundle and empty the folder first.`,
      { file: to, staged: stagedDigest, bundle: opened.bundleDigest },
    );
  }
  const others = (await fsp.readdir(to)).filter((name) => !isOurPartial(name) && name !== STAGED_RECORD && name !== 'lost+found');
  if (others.length > 0) {
    throw new FerryError(
      'USAGE',
      `${to} is not empty and holds no Ferry bundle (it has ${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}). Stage into an empty folder, or the one holding this bundle's earlier discs.`,
      { file: to },
    );
  }
  return { bundle: opened.bundleDigest, name: opened.index.name, volumes: {} };
}

/** Removes the hidden temp files an interrupted run left in STAGING. */
export async function removePartials(to: string): Promise<void> {
  for (const name of await fsp.readdir(to)) if (isOurPartial(name)) await fsp.rm(path.join(to, name), { force: true });
}

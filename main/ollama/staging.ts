import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Where blobs are written before they are renamed into place: a folder inside blobs/ (so the rename
 * never crosses file systems). Ollama reads `<blob>-partial-*` files in blobs/ as its own download
 * parts (server/download.go) and deletes any other non-digest file there at start-up
 * (server/images.go PruneLayers), but it skips folders; so Ferry's temporaries live in this one.
 */
export const STAGING_DIR = '.ferry-staging';

// Ferry's temporaries from before the staging folder: `<blob>-partial-ferry-<12 hex>` in blobs/.
const LEGACY_TEMP = /^sha256-[0-9a-f]{64}-partial-ferry-[0-9a-f]{12}$/;
// writeFileAtomic's temp beside a manifest (util/atomic.ts tempPathFor).
const MANIFEST_TEMP = /^\..+\.ferry-[0-9a-f]{8}\.partial$/;
// `ferry-<pid>-<random>-<host>`: the process and machine that wrote it.
const STAGED_TEMP = /^ferry-(\d+)-[0-9a-f]{12}-(.+)$/;

/** A temporary nobody has written to for this long is stale whatever its name says (another machine's, on a share). */
const IDLE_LIMIT_MS = 24 * 60 * 60 * 1000;
/** Temporaries without a process in their name (old ones, manifests' own) are stale sooner: they are short-lived. */
const UNNAMED_IDLE_LIMIT_MS = 10 * 60 * 1000;

function hostTag(): string {
  return os.hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'host';
}

/** A new temp file name in the staging folder, naming this process and machine. */
export function stagingTempPath(stagingDir: string): string {
  return path.join(stagingDir, `ferry-${process.pid}-${randomBytes(6).toString('hex')}-${hostTag()}`);
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function isStale(name: string, idleMs: number): boolean {
  const match = STAGED_TEMP.exec(name);
  if (match && match[2] === hostTag()) {
    const pid = Number(match[1]);
    if (pid !== process.pid && processGone(pid)) return true;
  }
  return idleMs > IDLE_LIMIT_MS;
}

async function removeWhere(dir: string, stale: (name: string, idleMs: number) => boolean): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(dir, entry.name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat || !stale(entry.name, Date.now() - stat.mtimeMs)) continue;
    await fs.rm(file, { force: true });
    removed.push(file);
  }
  return removed;
}

/**
 * Removes Ferry's own stale temporaries, left by an install that was killed: in the staging folder,
 * those of a process that is gone (or idle for a day); the older `-partial-ferry-` files in blobs/
 * and manifest temps idle for ten minutes. Never anything of Ollama's: only names Ferry writes match.
 */
export async function sweepStaleTemps(blobsDir: string, manifestDir: string): Promise<string[]> {
  return [
    ...(await removeWhere(path.join(blobsDir, STAGING_DIR), isStale)),
    ...(await removeWhere(blobsDir, (name, idleMs) => LEGACY_TEMP.test(name) && idleMs > UNNAMED_IDLE_LIMIT_MS)),
    ...(await removeWhere(manifestDir, (name, idleMs) => MANIFEST_TEMP.test(name) && idleMs > UNNAMED_IDLE_LIMIT_MS)),
  ];
}

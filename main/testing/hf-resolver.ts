/**
 * An independent stand-in for huggingface_hub's offline lookup (try_to_load_from_cache, and
 * hf_hub_download with HF_HUB_OFFLINE=1), written from its rules rather than from Ferry's cache
 * reader, so tests can check that what Ferry installs is what the Python library would load.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface HfOfflineQuery {
  repoId: string;
  /** '/'-separated path inside the repo. */
  filename: string;
  /** Branch, tag, ref path (refs/pr/1) or 40-hex commit; default 'main'. */
  revision?: string;
  repoType?: 'model' | 'dataset' | 'space';
  /** Default: the cache folder the environment names. */
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
}

const COMMIT_HASH = /^[0-9a-f]{40}$/;

/** os.path.expandvars(os.path.expanduser(p)): unknown variables are left as they are. */
function expand(p: string, env: NodeJS.ProcessEnv): string {
  const user = p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
  return user.replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, a?: string, b?: string) => env[(a ?? b)!] ?? whole);
}

/**
 * constants.py: HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else HF_HOME/hub, HF_HOME defaulting to
 * $XDG_CACHE_HOME/huggingface then ~/.cache/huggingface. Python's os.getenv returns a variable that
 * is set but empty as "", so an empty value is used as is here too.
 */
export function hfHubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const hfHome = expand(env.HF_HOME ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'huggingface'), env);
  return expand(env.HF_HUB_CACHE ?? env.HUGGINGFACE_HUB_CACHE ?? path.join(hfHome, 'hub'), env);
}

/** _local_folder._validate_relative_filename: no '..' segment, nothing anchored under POSIX or Windows rules. */
function assertRelativeFilename(filename: string): void {
  if (filename.replaceAll('\\', '/').split('/').includes('..')) throw new Error(`Invalid filename '${filename}': cannot contain a '..' path segment.`);
  if (filename.startsWith('/') || filename.split('/').some((part) => /^[A-Za-z]:/.test(part) || part.startsWith('\\'))) {
    throw new Error(`Invalid filename '${filename}': cannot be an absolute, drive-relative or UNC path.`);
  }
}

async function isFile(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => undefined))?.isFile() ?? false; // stat follows symlinks, as os.path.isfile does
}

/**
 * The path huggingface_hub would load offline, or null when it would report the file missing
 * (including files recorded under .no_exist/, which try_to_load_from_cache reports as a sentinel).
 */
export async function hfOfflineResolve(query: HfOfflineQuery): Promise<string | null> {
  assertRelativeFilename(query.filename);
  const cacheDir = query.cacheDir ?? hfHubCacheDir(query.env);
  const repoType = query.repoType ?? 'model';
  const storage = path.join(cacheDir, [`${repoType}s`, ...query.repoId.split('/')].join('--'));
  if (!(await fs.stat(storage).catch(() => undefined))?.isDirectory()) return null;

  let revision = query.revision ?? 'main';
  if (!COMMIT_HASH.test(revision)) {
    const refFile = path.join(storage, 'refs', revision);
    if (!(await isFile(refFile))) return null;
    revision = await fs.readFile(refFile, 'utf8'); // read as is: a trailing newline would not match a snapshot
  }
  if (await isFile(path.join(storage, '.no_exist', revision, ...query.filename.split('/')))) return null;
  const snapshots = path.join(storage, 'snapshots');
  if (!(await fs.readdir(snapshots).catch(() => [] as string[])).includes(revision)) return null;

  const pointer = path.join(snapshots, revision, ...query.filename.split('/'));
  // _get_pointer_path: the pointer must stay inside snapshots/ (checked without resolving links).
  if (!path.resolve(pointer).startsWith(path.resolve(snapshots) + path.sep)) return null;
  return (await isFile(pointer)) ? pointer : null;
}

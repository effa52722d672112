import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ErrorCode } from '../../shared/errors.js';
import { FerryError, toEnvelope } from '../util/errors.js';
import { HF_GIT_FILE_LIMIT, hashHfFile, looksLikeLfs } from './etag.js';
import { hfDisplayName, isCommit, parseHfSpec, parseRepoFolderName, type HfRepoType } from './names.js';
import { readSnapshot, type SnapshotEntry } from './snapshot.js';

export interface HfCacheFile {
  /** Path inside the repo, '/'-separated. */
  path: string;
  size: number;
  /** The blob name; null for a real file in snapshots/ (Windows caches), whose etag only resolveHfRevision computes. */
  etag: string | null;
}

export interface HfCachedRevision {
  commit: string;
  /** Refs pointing at this commit, e.g. ['main', 'refs/pr/1']. */
  refs: string[];
  files: HfCacheFile[];
  /** Bytes of its files, each distinct blob counted once. */
  size: number;
  problem?: { code: ErrorCode; message: string };
}

export interface HfCachedRepo {
  repoId: string;
  type: HfRepoType;
  dir: string;
  /** Ref name (path under refs/, e.g. 'main', 'refs/pr/1') → commit. */
  refs: Record<string, string>;
  revisions: HfCachedRevision[];
  /** Set when the repo folder could not be read; the other repos are listed all the same. */
  problem?: { code: ErrorCode; message: string };
}

export interface HfResolvedFile {
  path: string;
  size: number;
  etag: string;
  /** Absolute path of the bytes: the blob a snapshot link resolves to, or the snapshot file itself. */
  source: string;
}

export interface HfRevision {
  repoId: string;
  type: HfRepoType;
  commit: string;
  /** The ref it was resolved through; absent when named by commit. */
  ref?: string;
  repoDir: string;
  files: HfResolvedFile[];
}

// Python's expandvars(expanduser(value)), as huggingface_hub applies it to these variables.
function expand(value: string, env: NodeJS.ProcessEnv): string {
  const user = value === '~' || value.startsWith('~/') || value.startsWith(`~${path.sep}`) ? path.join(os.homedir(), value.slice(1)) : value;
  return user.replace(/\$(\w+)|\$\{(\w+)\}/g, (whole, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? whole);
}

/**
 * Where huggingface_hub keeps its cache: HF_HUB_CACHE, then HUGGINGFACE_HUB_CACHE, then HF_HOME/hub,
 * then $XDG_CACHE_HOME/huggingface/hub, then ~/.cache/huggingface/hub. Empty values count as unset.
 */
export function defaultHfCache(env: NodeJS.ProcessEnv = process.env): string {
  const set = (name: string) => (env[name] ? expand(env[name], env) : undefined);
  const hub = set('HF_HUB_CACHE') ?? set('HUGGINGFACE_HUB_CACHE');
  if (hub) return path.resolve(hub);
  const home = set('HF_HOME') ?? path.join(set('XDG_CACHE_HOME') ?? path.join(os.homedir(), '.cache'), 'huggingface');
  return path.resolve(home, 'hub');
}

const CACHE_HINT = 'Choose the Hugging Face cache folder (it holds models--ORG--NAME folders; set HF_HUB_CACHE or HF_HOME, or pass the folder).';

async function readCacheDir(cache: string): Promise<string[]> {
  try {
    return (await fs.readdir(cache)).sort();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') throw new FerryError('NOT_FOUND', `No Hugging Face cache at ${cache}. ${CACHE_HINT}`, { cache });
    throw new FerryError('IO', `Cannot read the Hugging Face cache at ${cache} (${e.code ?? e.message}). ${CACHE_HINT}`, { cache, errno: e.code });
  }
}

// Helper files operating systems drop into folders; huggingface_hub's cache scan skips them too.
const OS_FILES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/** refs/ as ref name → commit, nested refs (refs/refs/pr/1) named by their path: 'refs/pr/1'. */
async function readRefs(repoDir: string): Promise<Record<string, string>> {
  const refsDir = path.join(repoDir, 'refs');
  let names: string[];
  try {
    names = (await fs.readdir(refsDir, { recursive: true })).map((n) => n.split(path.sep).join('/'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  const refs: Record<string, string> = {};
  for (const name of names.sort()) {
    // Skips dot-files too: the temp files of an atomic write that a crash left behind.
    if (name.split('/').some((s) => s.startsWith('.') || OS_FILES.has(s))) continue;
    const file = path.join(refsDir, name);
    if (!(await fs.stat(file)).isFile()) continue;
    const commit = (await fs.readFile(file, 'utf8')).trim();
    if (isCommit(commit)) refs[name] = commit;
  }
  return refs;
}

async function listCommits(repoDir: string): Promise<string[]> {
  const dirents = await fs.readdir(path.join(repoDir, 'snapshots'), { withFileTypes: true });
  return dirents
    .filter((d) => d.isDirectory() && isCommit(d.name))
    .map((d) => d.name)
    .sort();
}

function revisionSize(files: readonly HfCacheFile[]): number {
  const seen = new Set<string>();
  let size = 0;
  for (const f of files) {
    if (f.etag !== null) {
      if (seen.has(f.etag)) continue;
      seen.add(f.etag);
    }
    size += f.size;
  }
  return size;
}

function problemOf(err: unknown): { code: ErrorCode; message: string } {
  const { code, message } = toEnvelope(err);
  return { code, message };
}

async function scanRepo(dir: string, type: HfRepoType, repoId: string): Promise<HfCachedRepo> {
  const repo: HfCachedRepo = { repoId, type, dir, refs: {}, revisions: [] };
  const what = hfDisplayName(type, repoId);
  try {
    repo.refs = await readRefs(dir);
    for (const commit of await listCommits(dir)) {
      const refs = Object.keys(repo.refs).filter((r) => repo.refs[r] === commit);
      try {
        const files = (await readSnapshot(dir, commit, `${what}@${commit}`)).map((e) => ({
          path: e.path,
          size: e.size,
          etag: e.kind === 'link' ? e.etag : null,
        }));
        repo.revisions.push({ commit, refs, files, size: revisionSize(files) });
      } catch (err) {
        repo.revisions.push({ commit, refs, files: [], size: 0, problem: problemOf(err) });
      }
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    repo.problem =
      e.code === 'ENOENT' || e.code === 'ENOTDIR'
        ? {
            code: 'INVALID_INPUT',
            message: `${what} (${dir}) has no snapshots/ folder: it is not a usable cache entry. Download it again, or delete the folder.`,
          }
        : problemOf(err);
  }
  return repo;
}

/** Every repo in the cache, sorted by folder name. A repo that cannot be read carries a `problem` instead of failing the listing. */
export async function listHfRepos(cache: string): Promise<HfCachedRepo[]> {
  const repos: HfCachedRepo[] = [];
  for (const name of await readCacheDir(cache)) {
    const parsed = parseRepoFolderName(name);
    if (!parsed) continue;
    const dir = path.join(cache, name);
    if (!(await fs.stat(dir).catch(() => undefined))?.isDirectory()) continue;
    repos.push(await scanRepo(dir, parsed.type, parsed.repoId));
  }
  return repos;
}

function listed(items: readonly string[], none: string): string {
  if (items.length === 0) return none;
  const shown = items.slice(0, 20).join(', ');
  return items.length > 20 ? `${shown} and ${items.length - 20} more` : shown;
}

/**
 * Names the bytes of one revision: `[datasets/|spaces/]ORG/NAME[@REF|@COMMIT]`, default ref main.
 * NOT_FOUND errors list the repos, refs or commits the cache does hold.
 */
export async function resolveHfRevision(cache: string, spec: string, opts: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<HfRevision> {
  const parsed = parseHfSpec(spec);
  const { type, revision } = parsed;
  const names = await readCacheDir(cache);
  const cached = names.flatMap((n) => {
    const p = parseRepoFolderName(n);
    return p ? [{ folder: n, ...p }] : [];
  });
  // The hub treats repo ids case-insensitively; the folder keeps the case the download was asked with.
  const exact = cached.find((c) => c.type === type && c.repoId === parsed.repoId);
  const folded = cached.filter((c) => c.type === type && c.repoId.toLowerCase() === parsed.repoId.toLowerCase());
  const found = exact ?? (folded.length === 1 ? folded[0] : undefined);
  if (!found) {
    const shown = cached.map((c) => hfDisplayName(c.type, c.repoId));
    throw new FerryError(
      'NOT_FOUND',
      `${hfDisplayName(type, parsed.repoId)} is not in the Hugging Face cache at ${cache}. Cached repos: ${listed(shown, 'none')}.`,
      {
        repo: parsed.repoId,
        type,
        cache,
      },
    );
  }
  const { repoId } = found;
  const what = hfDisplayName(type, repoId);
  const repoDir = path.join(cache, found.folder);

  const refs = await readRefs(repoDir);
  const commits = await listCommits(repoDir).catch(() => [] as string[]);
  const holds = `Refs: ${listed(Object.keys(refs), 'none')}. Commits: ${listed(commits, 'none')}.`;
  let commit: string;
  let ref: string | undefined;
  if (isCommit(revision)) {
    commit = revision;
  } else {
    const target = refs[revision];
    if (!target)
      throw new FerryError('NOT_FOUND', `${what} has no ref ${JSON.stringify(revision)} in the cache at ${cache}. ${holds}`, {
        repo: repoId,
        type,
        ref: revision,
        cache,
      });
    commit = target;
    ref = revision;
  }
  if (!commits.includes(commit)) {
    const via = ref ? `Ref ${ref} of ${what} points at commit ${commit}, which` : `Commit ${commit} of ${what}`;
    throw new FerryError('NOT_FOUND', `${via} has no snapshot in the cache at ${cache}. ${holds}`, { repo: repoId, type, commit, cache });
  }

  const entries = await readSnapshot(repoDir, commit, `${what}@${commit}`);
  const files: HfResolvedFile[] = [];
  for (const entry of entries) {
    opts.signal?.throwIfAborted();
    files.push(entry.kind === 'link' ? { path: entry.path, size: entry.size, etag: entry.etag, source: entry.blob } : await computeEtag(repoDir, entry, opts));
  }
  return { repoId, type, commit, ...(ref !== undefined ? { ref } : {}), repoDir, files };
}

/**
 * A real file in snapshots/ (huggingface_hub on Windows without symlinks moves each new blob there,
 * so blobs/ often lacks it): its etag must be computed. Which of the two names huggingface.co gave
 * it cannot be read from the cache, so: a blob already in blobs/ under either name decides;
 * otherwise git-sha1 for small files that are not weight-like, sha256 (LFS) for the rest. Offline
 * loading only reads snapshots/ and refs/, never blob names, so a wrong guess costs at most a
 * re-download when the far side later goes online.
 */
async function computeEtag(
  repoDir: string,
  entry: Extract<SnapshotEntry, { kind: 'file' }>,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void },
): Promise<HfResolvedFile> {
  const lfs = looksLikeLfs(entry.path, entry.size);
  const small = entry.size < HF_GIT_FILE_LIMIT;
  const hashes = await hashHfFile(entry.file, { gitSha1: small, ...opts });
  const present = async (name: string) => (await fs.stat(path.join(repoDir, 'blobs', name)).catch(() => undefined))?.isFile() ?? false;
  let etag = lfs || !hashes.gitSha1 ? hashes.sha256 : hashes.gitSha1;
  if (hashes.gitSha1 && (await present(hashes.sha256))) etag = hashes.sha256;
  else if (hashes.gitSha1 && (await present(hashes.gitSha1))) etag = hashes.gitSha1;
  return { path: entry.path, size: hashes.size, etag, source: entry.file };
}

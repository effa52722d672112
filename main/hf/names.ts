import { FerryError } from '../util/errors.js';

export type HfRepoType = 'model' | 'dataset' | 'space';
export const HF_REPO_TYPES: readonly HfRepoType[] = ['model', 'dataset', 'space'];

export const DEFAULT_HF_REVISION = 'main';

const COMMIT = /^[0-9a-f]{40}$/;
// huggingface_hub's validate_repo_id: "name" or "namespace/name", \w . - only, starting and ending
// with a word character, the name at most 96 characters, never "--" or "..".
const REPO_PART = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

export function isCommit(revision: string): boolean {
  return COMMIT.test(revision);
}

export function isValidRepoId(repoId: string): boolean {
  const parts = repoId.split('/');
  if (parts.length > 2 || repoId.includes('--') || repoId.includes('..')) return false;
  if (parts[parts.length - 1]!.length > 96) return false;
  return parts.every((p) => REPO_PART.test(p));
}

/** `models--org--name`: the cache folder huggingface_hub keeps a repo in. */
export function repoFolderName(type: HfRepoType, repoId: string): string {
  return [`${type}s`, ...repoId.split('/')].join('--');
}

/** The inverse of repoFolderName; undefined for folders that are not repos (.locks, CACHEDIR.TAG, xet …). */
export function parseRepoFolderName(name: string): { type: HfRepoType; repoId: string } | undefined {
  const at = name.indexOf('--');
  if (at < 0) return undefined;
  const type = HF_REPO_TYPES.find((t) => `${t}s` === name.slice(0, at));
  const repoId = name.slice(at + 2).replaceAll('--', '/');
  if (!type || !isValidRepoId(repoId)) return undefined;
  return { type, repoId };
}

/** `datasets/`, `spaces/` or nothing: how huggingface.co prefixes a repo id in URLs. */
export function hfUrlPrefix(type: HfRepoType): string {
  return type === 'model' ? '' : `${type}s/`;
}

/**
 * Why `p` is not a safe path inside a repo (or under refs/), or undefined when it is. The path is
 * joined onto a cache folder, so anything that could land outside it, or mean something else on
 * Windows, is refused — the same rules as huggingface_hub's _validate_relative_filename, stricter.
 */
export function relativePathProblem(p: string): string | undefined {
  if (p === '') return 'is empty';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.includes('\\')) return 'contains a backslash';
  if (p.startsWith('/')) return 'is absolute';
  for (const segment of p.split('/')) {
    if (segment === '') return 'has an empty path segment';
    if (segment === '.' || segment === '..') return `has a "${segment}" path segment`;
    if (/^[A-Za-z]:/.test(segment)) return 'has a Windows drive prefix';
  }
  return undefined;
}

/** Why `ref` is not a usable ref name: a safe relative path whose segments, as git requires, do not start with '.'. */
export function refNameProblem(ref: string): string | undefined {
  return relativePathProblem(ref) ?? (ref.split('/').some((s) => s.startsWith('.')) ? "has a segment starting with '.'" : undefined);
}

export interface HfSpec {
  type: HfRepoType;
  repoId: string;
  /** A ref name (main, v1.0, refs/pr/1) or a 40-hex commit. */
  revision: string;
}

/** `[datasets/|spaces/]ORG/NAME[@REF|@COMMIT]`, default revision main. */
export function parseHfSpec(spec: string): HfSpec {
  const at = spec.indexOf('@');
  let name = at < 0 ? spec : spec.slice(0, at);
  const revision = at < 0 ? DEFAULT_HF_REVISION : spec.slice(at + 1);
  let type: HfRepoType = 'model';
  for (const t of HF_REPO_TYPES) {
    if (name.startsWith(`${t}s/`)) {
      type = t;
      name = name.slice(t.length + 2);
      break;
    }
  }
  const usage =
    'Name a Hugging Face repo as ORG/NAME, datasets/ORG/NAME or spaces/ORG/NAME, optionally followed by @REF or @COMMIT (for example acme/tiny@main).';
  if (!isValidRepoId(name)) throw new FerryError('USAGE', `${JSON.stringify(spec)} is not a Hugging Face repo name. ${usage}`, { spec });
  const problem = refNameProblem(revision);
  if (problem) throw new FerryError('USAGE', `The revision in ${JSON.stringify(spec)} ${problem}. ${usage}`, { spec });
  return { type, repoId: name, revision };
}

/** How a repo is named to a user: `org/name`, `datasets/org/name`. */
export function hfDisplayName(type: HfRepoType, repoId: string): string {
  return `${hfUrlPrefix(type)}${repoId}`;
}

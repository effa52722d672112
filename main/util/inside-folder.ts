import fs from 'node:fs/promises';
import path from 'node:path';
import { NAME_MAX_BYTES } from './atomic.js';

/** The longest path the platform's file APIs take (bytes, without the terminating NUL). */
export const PATH_MAX_BYTES = process.platform === 'win32' ? 259 : process.platform === 'darwin' ? 1023 : 4095;

export function isInside(realRoot: string, real: string): boolean {
  const rel = path.relative(realRoot, real);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

export async function lstatOrNothing(file: string) {
  return fs.lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
}

/** A folder on the way that is a symbolic link leading out of the target, where the caller allows one. */
export interface LinkedOut {
  folder: string;
  to: string;
}

/** Where a path below a target really lands, with its folders' links inside the target followed. */
export interface Placement {
  /** The path as named below the root. */
  path: string;
  /** Where it lands once links are followed (as far as folders exist). */
  real: string;
  /** A folder on the way does not exist yet: it and what is below it are new. */
  missing: boolean;
  /** Why nothing may be written there, or undefined. */
  problem?: string;
  linkedOut: LinkedOut[];
}

/** The real path of `root`, or undefined when it does not exist yet; anything but a folder is refused by the caller. */
export async function realRootOf(root: string): Promise<string | undefined> {
  const stat = await fs.stat(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  return stat ? fs.realpath(root) : undefined;
}

/**
 * Walks the folders of `segments` (the last one is the file itself and is not followed) below
 * `root`, refusing any folder that is a symbolic link leading out of the root, to nothing, or to a
 * file. A folder for which `allowLinkOut(relativeFolder)` is true may lead out: it is reported.
 */
export async function placeInside(
  root: string,
  realRoot: string | undefined,
  segments: readonly string[],
  allowLinkOut: (relativeFolder: string) => boolean = () => false,
): Promise<Placement> {
  const named = path.join(root, ...segments);
  let cur = root;
  let real = realRoot ?? root;
  let missing = realRoot === undefined;
  const linkedOut: LinkedOut[] = [];
  for (let i = 0; i < segments.length - 1; i++) {
    cur = path.join(cur, segments[i]!);
    real = path.join(real, segments[i]!);
    if (missing) continue;
    const stat = await lstatOrNothing(cur);
    if (!stat) {
      missing = true;
      continue;
    }
    if (stat.isSymbolicLink()) {
      const resolved = await fs.realpath(cur).catch(() => undefined);
      if (!resolved) return { path: named, real, missing, problem: `${cur} is a symbolic link to nothing`, linkedOut };
      const outside = !isInside(realRoot!, resolved);
      if (outside && !allowLinkOut(segments.slice(0, i + 1).join('/')))
        return { path: named, real, missing, problem: `${cur} is a symbolic link leading outside ${root}`, linkedOut };
      if (!(await fs.stat(resolved)).isDirectory())
        return { path: named, real, missing, problem: `${cur} is a link to a file where a folder is needed`, linkedOut };
      if (outside) linkedOut.push({ folder: cur, to: resolved });
      real = resolved;
    } else if (!stat.isDirectory()) {
      return { path: named, real, missing, problem: `${cur} is a file where a folder is needed`, linkedOut };
    }
  }
  return { path: named, real: path.join(real, segments[segments.length - 1]!), missing, linkedOut };
}

/**
 * Places paths below one target for an install plan: each through placeInside, a problem handed to
 * `refuse` (which throws), the links out that were allowed collected once each.
 */
export async function targetPlacer(root: string, allowLinkOut: (relativeFolder: string) => boolean, refuse: (placed: Placement) => never) {
  const realRoot = await realRootOf(root);
  const linkedOut: LinkedOut[] = [];
  const place = async (segments: readonly string[]): Promise<Placement> => {
    const placed = await placeInside(root, realRoot, segments, allowLinkOut);
    if (placed.problem) refuse(placed);
    addLinkedOut(linkedOut, placed.linkedOut);
    return placed;
  };
  return { place, linkedOut, realRoot };
}

/** Adds `links` to `into`, each folder once. */
export function addLinkedOut(into: LinkedOut[], links: readonly LinkedOut[]): void {
  for (const link of links) if (!into.some((l) => l.folder === link.folder)) into.push(link);
}

/** Why `file` cannot be created on this platform, or undefined: a name over 255 bytes, or a path over the platform's limit. */
export function nameLimitProblem(file: string): { problem: string; part: 'name' | 'path' } | undefined {
  const long = file.split(/[/\\]/).find((segment) => Buffer.byteLength(segment) > NAME_MAX_BYTES);
  if (long !== undefined)
    return {
      part: 'name',
      problem: `the name ${JSON.stringify(long.length > 60 ? `${long.slice(0, 60)}…` : long)} is ${Buffer.byteLength(long)} bytes; file systems hold at most ${NAME_MAX_BYTES}`,
    };
  const bytes = Buffer.byteLength(file);
  if (bytes > PATH_MAX_BYTES) return { part: 'path', problem: `the path ${file.slice(0, 80)}… is ${bytes} bytes; this system takes at most ${PATH_MAX_BYTES}` };
  return undefined;
}

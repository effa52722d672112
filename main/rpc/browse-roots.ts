import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FerryError } from '../util/errors.js';

/**
 * Where the browser host's folder browser may go: the user's home, removable-media mounts, the
 * configured stores and the folders given with `ferry serve --root`. In the browser host whoever
 * holds the session is the operator (they could run the CLI as the same user), so these roots are
 * not a security boundary: they keep the browser to the places a transfer uses and tell the user
 * plainly how to add another. In the desktop app native dialogs choose paths and grants are the boundary.
 */
export interface BrowseRoot {
  path: string;
  /** What the folder browser shows: "Home", "Removable media", "Ollama store", "Added". */
  label: string;
}

export interface BrowseRootSources {
  home?: string;
  /** Folders the host was started with (`ferry serve --root DIR`, repeatable). */
  extra?: readonly string[];
  /** The configured stores: the default Ollama store, the default Hugging Face cache. */
  stores?: readonly { path: string; label: string }[];
  /** Where removable media are mounted; the usual Linux places by default. */
  mediaMounts?: readonly string[];
}

function defaultMediaMounts(): string[] {
  const user = os.userInfo().username;
  return [path.join('/media', user), path.join('/run/media', user), '/media', '/mnt'];
}

function realFolder(p: string): string | null {
  try {
    const real = fs.realpathSync.native(p);
    return fs.statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

/**
 * The roots that exist on this host now, each once (the first label wins), in the order given. Read
 * at each use (a few stat calls), so a disc or USB disk mounted after the host started is offered.
 */
export function browseRoots(sources: BrowseRootSources = {}): BrowseRoot[] {
  const wanted: BrowseRoot[] = [
    { path: sources.home ?? os.homedir(), label: 'Home' },
    ...(sources.mediaMounts ?? defaultMediaMounts()).map((p) => ({ path: p, label: 'Removable media' })),
    ...(sources.stores ?? []),
    ...(sources.extra ?? []).map((p) => ({ path: path.resolve(p), label: 'Added' })),
  ];
  const roots: BrowseRoot[] = [];
  for (const root of wanted) {
    const real = realFolder(root.path);
    if (real && !roots.some((r) => r.path === real)) roots.push({ path: real, label: root.label });
  }
  return roots;
}

export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The real path of `p` when it lies inside one of the roots (links followed, so a link cannot lead the
 * browser elsewhere); a USAGE error naming the field and saying how to add a root otherwise.
 * A path that does not exist yet is judged by its nearest existing parent.
 */
export function insideRoots(roots: readonly BrowseRoot[], p: string, field: string): string {
  const resolved = path.resolve(p);
  let existing = resolved;
  let rest = '';
  let real: string | null = null;
  for (;;) {
    try {
      real = fs.realpathSync.native(existing);
      break;
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) break;
      rest = path.join(path.basename(existing), rest);
      existing = parent;
    }
  }
  const full = real === null ? resolved : path.join(real, rest);
  if (roots.some((root) => isInside(root.path, full))) return full;
  throw new FerryError(
    'USAGE',
    `${field}: ${p} is outside the folders Ferry offers here (${roots.map((r) => r.path).join(', ')}). ` +
      'Choose a folder inside one of them. To offer another folder, whoever started this Ferry starts it again with that folder added.',
    { field },
  );
}

import path from 'node:path';
import { FerryError } from '../util/errors.js';
import { insideRoots, type BrowseRoot } from './browse-roots.js';

/**
 * Which paths a front end may hand the engine, by who stands behind it:
 * - `granted` (the desktop app): only paths the main side handed out (a native dialog's answer, a
 *   default it offered). The renderer is web content, so this is a boundary.
 * - `roots` (the browser host): paths inside the host's browse roots. Whoever holds the session is the
 *   operator (the same person could run the CLI), so this is not a boundary: it keeps the wizard to the
 *   places a transfer uses and says how to offer another.
 * - `open` (the CLI): every path; nothing stands between the operator and their own files.
 */
export type PathPolicy = { mode: 'granted' } | { mode: 'roots'; roots: () => readonly BrowseRoot[] } | { mode: 'open' };

export class PathGrants {
  private readonly granted = new Set<string>();

  constructor(readonly policy: PathPolicy = { mode: 'granted' }) {}

  get roots(): readonly BrowseRoot[] {
    return this.policy.mode === 'roots' ? this.policy.roots() : [];
  }

  /** Hands `p` out: remembered only where grants decide (the desktop app), so browsing elsewhere keeps no growing list. */
  grant(p: string): string {
    const resolved = path.resolve(p);
    if (this.policy.mode === 'granted') this.granted.add(resolved);
    return resolved;
  }

  /** The path to use (resolved; in the browser host with links resolved) if the policy allows it; a USAGE error naming the field otherwise. */
  check(p: string, field: string): string {
    const resolved = path.resolve(p);
    if (this.policy.mode === 'roots') return insideRoots(this.policy.roots(), resolved, field);
    if (this.policy.mode === 'granted' && !this.granted.has(resolved)) {
      throw new FerryError('USAGE', `${field}: ${p} was not chosen with Ferry's file and folder picker. Choose it with Browse….`, { field });
    }
    return resolved;
  }
}

import path from 'node:path';
import { FerryError } from '../util/errors.js';

/**
 * Paths the renderer may use: only those the main side handed out (a native dialog's answer, a
 * folder its browser listed, a default it offered). Anything else from the renderer is refused.
 */
export class PathGrants {
  private readonly granted = new Set<string>();

  /** `enforced: false` (the CLI only) accepts every path: nothing stands between the operator and their own files. */
  constructor(private readonly opts: { enforced: boolean } = { enforced: true }) {}

  grant(p: string): string {
    const resolved = path.resolve(p);
    this.granted.add(resolved);
    return resolved;
  }

  /** The resolved path if it was granted; a USAGE error naming the field otherwise. */
  check(p: string, field: string): string {
    const resolved = path.resolve(p);
    if (this.opts.enforced && !this.granted.has(resolved)) {
      throw new FerryError('USAGE', `${field}: ${p} was not chosen with Ferry's file and folder picker. Choose it with Browse….`, { field });
    }
    return resolved;
  }
}

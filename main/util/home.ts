import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FerryError } from './errors.js';

/** The data folder: FERRY_HOME, else the OS per-user config folder + /ferry. */
export function ferryHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_HOME) return path.resolve(env.FERRY_HOME);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'ferry');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'ferry');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'ferry');
}

/**
 * Makes `target` owner-only (0700 for folders, 0600 for files) when group or others have any
 * access, e.g. a FERRY_HOME made by hand or an older Ferry. A missing file is left alone; Windows
 * has no such modes. The ledger, the site key and everything under FERRY_HOME are kept this way.
 */
export function restrictToOwner(target: string, mode: 0o700 | 0o600): void {
  if (process.platform === 'win32') return;
  let current: number;
  try {
    current = fs.statSync(target).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (current === mode) return;
  try {
    fs.chmodSync(target, mode);
  } catch (err) {
    throw new FerryError(
      'IO',
      `${target} is readable by others (mode ${current.toString(8)}) and cannot be made owner-only: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}. Make it yours (chown) or choose another FERRY_HOME.`,
      { file: target },
    );
  }
}

/** Creates FERRY_HOME owner-only, or tightens an existing one. */
export function secureHome(home: string): void {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  restrictToOwner(home, 0o700);
}

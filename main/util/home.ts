import os from 'node:os';
import path from 'node:path';

/** The data folder: FERRY_HOME, else the OS per-user config folder + /ferry. */
export function ferryHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_HOME) return path.resolve(env.FERRY_HOME);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'ferry');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'ferry');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'ferry');
}

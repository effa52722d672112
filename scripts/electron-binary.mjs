// Finds the Electron binary WITHOUT loading the 'electron' package: on electron >= 42,
// require('electron') downloads the binary when it is missing, which must never happen here.
// Mirrors node_modules/electron/index.js: ELECTRON_OVERRIDE_DIST_PATH, else path.txt + dist/.
// Used by scripts/start.mjs (npm start) and e2e/electron.spec.ts.
import fs from 'node:fs';
import path from 'node:path';

/** The executable inside an unpacked Electron release, as electron's install.js names it. */
export function platformExecutable(platform = process.platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The electron version this checkout pins (node_modules/electron/package.json). */
export function wantedElectronVersion(root) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * @returns {{found: true, path: string, source: string, version?: string} | {found: false, reason: string}}
 */
export function findElectronBinary({ root, env = process.env, platform = process.platform }) {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathTxt = readText(path.join(pkg, 'path.txt'));
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    // A folder holding an unpacked Electron release (as electron itself reads it); the executable
    // itself is accepted too.
    const candidate = isFile(override) ? override : path.join(override, pathTxt || platformExecutable(platform));
    if (isFile(candidate)) {
      const version = readText(path.join(isFile(override) ? path.dirname(override) : override, 'version'));
      return { found: true, path: path.resolve(candidate), source: 'ELECTRON_OVERRIDE_DIST_PATH', ...(version ? { version } : {}) };
    }
    return { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set to ${override}, but ${candidate} does not exist` };
  }
  if (pathTxt) {
    const candidate = path.join(pkg, 'dist', pathTxt);
    if (isFile(candidate)) {
      const version = readText(path.join(pkg, 'dist', 'version'));
      return { found: true, path: candidate, source: 'node_modules/electron', ...(version ? { version } : {}) };
    }
    return { found: false, reason: `node_modules/electron/path.txt names ${candidate}, which does not exist` };
  }
  return { found: false, reason: 'node_modules/electron holds no binary (no path.txt, no dist/): npm installs electron >= 42 without it' };
}

/** What to tell someone whose machine has no Electron binary. */
export function electronMissingMessage(reason, root) {
  const version = wantedElectronVersion(root) ?? '45';
  const zip = `electron-v${version}-${process.platform}-${process.arch}.zip`;
  return [
    `Ferry's desktop app needs the Electron ${version} binary, and this machine has none.`,
    `  (${reason})`,
    'Nothing downloads it automatically, and without internet access it cannot be downloaded at all.',
    '',
    'To get it:',
    '  - On a machine WITH internet, in a checkout of Ferry after `npm ci`, run',
    '        npx --no install-electron',
    `    (electron ${version}'s own installer, the "install-electron" bin of the electron package; it needs`,
    '    Node >= 22.12). It unpacks the binary into node_modules/electron/dist/ and writes',
    '    node_modules/electron/path.txt; `npm start` then finds it there.',
    `  - Or unpack an Electron ${version} release zip (${zip} for this machine, from`,
    '    https://github.com/electron/electron/releases, carried over on media) into a folder and set',
    '        ELECTRON_OVERRIDE_DIST_PATH=/path/to/that/folder',
    '',
    'Meanwhile, the same wizard runs in a browser:',
    '    npm run serve',
    'and open the URL it prints.',
  ].join('\n');
}

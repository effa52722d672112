#!/usr/bin/env node
// `npm start`: launches the Electron shell on dist/app/main.js, or explains how to get an Electron
// binary when this machine has none. Never loads the 'electron' package.
// `node scripts/start.mjs --preflight` only checks for the binary (npm start runs it before building,
// so a machine without Electron hears so at once instead of after a build).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronMissingMessage, findElectronBinary } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = path.join(root, 'dist', 'app', 'main.js');

const electron = findElectronBinary({ root });
if (!electron.found) {
  console.error(electronMissingMessage(electron.reason, root));
  process.exit(1);
}
if (process.argv[2] === '--preflight') process.exit(0);
if (!fs.existsSync(entry)) {
  console.error(`${path.relative(root, entry)} is missing: run \`npm run build\` first.`);
  process.exit(1);
}
if (!fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  console.warn('dist/renderer/index.html is missing: the window will stay empty until the renderer is built.');
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.warn('No DISPLAY or WAYLAND_DISPLAY: Electron needs a graphical session (or xvfb-run).');
}

const env = { ...process.env };
// Set, it would turn Electron into plain Node.
delete env.ELECTRON_RUN_AS_NODE;

console.log(`Starting Ferry with ${electron.path}${electron.version ? ` (${electron.version})` : ''}`);
const child = spawn(electron.path, [entry, ...process.argv.slice(2)], { stdio: 'inherit', env, windowsHide: false });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('error', (error) => {
  console.error(`Could not start ${electron.path}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (code === null) {
    console.error(`Electron exited with signal ${signal}`);
    process.exit(1);
  }
  process.exit(code);
});

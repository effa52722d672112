import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

// The locator is plain .mjs (npm start runs it before any build); this test runs from
// dist/scripts/, so it loads the source file by URL.
type Locator = typeof import('./electron-binary.mjs');
const locator = (await import(new URL('../../scripts/electron-binary.mjs', import.meta.url).href)) as Locator;
const { electronMissingMessage, findElectronBinary, platformExecutable } = locator;

async function fakeCheckout(files: Record<string, string>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-electron-'));
  for (const [file, text] of Object.entries({ 'node_modules/electron/package.json': '{"version":"45.4.1"}', ...files })) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await fs.writeFile(path.join(root, file), text);
  }
  return root;
}

test('no binary: path.txt and dist/ absent, as npm leaves electron >= 42', async () => {
  const root = await fakeCheckout({});
  try {
    const found = findElectronBinary({ root, env: {}, platform: 'linux' });
    assert.equal(found.found, false);
    const message = electronMissingMessage(found.found ? '' : found.reason, root);
    assert.match(message, /Electron 45\.4\.1/);
    assert.match(message, /npx --no install-electron/);
    assert.match(message, /ELECTRON_OVERRIDE_DIST_PATH/);
    assert.match(message, /npm run serve/);
  } finally {
    await fs.rm(root, { recursive: true });
  }
});

test('path.txt naming a missing file is not a binary', async () => {
  const root = await fakeCheckout({ 'node_modules/electron/path.txt': 'electron' });
  try {
    assert.equal(findElectronBinary({ root, env: {}, platform: 'linux' }).found, false);
  } finally {
    await fs.rm(root, { recursive: true });
  }
});

test('the installed binary: node_modules/electron/dist/ + path.txt', async () => {
  const root = await fakeCheckout({
    'node_modules/electron/path.txt': 'electron',
    'node_modules/electron/dist/electron': '#!/bin/sh\n',
    'node_modules/electron/dist/version': 'v45.4.1',
  });
  try {
    const found = findElectronBinary({ root, env: {}, platform: 'linux' });
    assert.deepEqual(found, { found: true, path: path.join(root, 'node_modules/electron/dist/electron'), source: 'node_modules/electron', version: 'v45.4.1' });
  } finally {
    await fs.rm(root, { recursive: true });
  }
});

test('ELECTRON_OVERRIDE_DIST_PATH wins: a folder (as electron reads it) or the executable itself', async () => {
  const root = await fakeCheckout({ 'unpacked/electron': '#!/bin/sh\n', 'unpacked/Electron.app/Contents/MacOS/Electron': '' });
  try {
    const dir = path.join(root, 'unpacked');
    const viaDir = findElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: dir }, platform: 'linux' });
    assert.equal(viaDir.found && viaDir.path, path.join(dir, 'electron'));
    const viaFile = findElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'electron') }, platform: 'linux' });
    assert.equal(viaFile.found && viaFile.path, path.join(dir, 'electron'));
    const mac = findElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: dir }, platform: 'darwin' });
    assert.equal(mac.found && mac.path, path.join(dir, 'Electron.app/Contents/MacOS/Electron'));
    const missing = findElectronBinary({ root, env: { ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'nowhere') }, platform: 'linux' });
    assert.equal(missing.found, false);
    assert.match(missing.found ? '' : missing.reason, /ELECTRON_OVERRIDE_DIST_PATH/);
  } finally {
    await fs.rm(root, { recursive: true });
  }
});

test('executable names per platform', () => {
  assert.equal(platformExecutable('linux'), 'electron');
  assert.equal(platformExecutable('win32'), 'electron.exe');
  assert.equal(platformExecutable('darwin'), 'Electron.app/Contents/MacOS/Electron');
});

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { test } from 'node:test';
import { IPC_CHANNELS } from '../shared/bridge.js';

// The sandboxed preload cannot load shared/bridge.js, so it inlines the channel names; this reads
// the compiled preload next to this test and checks it still uses exactly IPC_CHANNELS.
const preload = new URL('./preload.cjs', import.meta.url);

test('the preload uses the channel names of IPC_CHANNELS', async () => {
  const text = await fs.readFile(preload, 'utf8');
  for (const channel of Object.values(IPC_CHANNELS)) {
    assert.ok(text.includes(`'${channel}'`) || text.includes(`"${channel}"`), `preload.cjs does not use ${channel}`);
  }
});

test('the preload requires nothing but electron (a sandboxed preload can load little else)', async () => {
  const text = await fs.readFile(preload, 'utf8');
  const required = [...text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(required)], ['electron']);
  assert.ok(!/\bimport\s*\(/.test(text), 'no dynamic import()');
});

test('the preload exposes only window.ferryBridge', async () => {
  const text = await fs.readFile(preload, 'utf8');
  const exposed = [...text.matchAll(/exposeInMainWorld\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
  assert.deepEqual(exposed, ['ferryBridge']);
});

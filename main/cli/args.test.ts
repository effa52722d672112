import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { ferry, tempDir } from '../testing/cli.js';

test('a mistyped option exits 2 and names the option the command has (--ollama-store on ollama ls, --trusts on verify)', async (t) => {
  const work = await tempDir('cli-args');
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const home = path.join(work, 'home');
  const store = await ferry(home, ['ollama', 'ls', '--ollama-store', '/srv/models']);
  assert.equal(store.code, 2);
  assert.equal(store.stderr.trim(), 'ferry ollama: Unknown option --ollama-store. Did you mean --store? See ferry ollama --help.');
  const trust = await ferry(home, ['verify', '/media/usb/bundle', '--trusts', 'a.pem']);
  assert.equal(trust.code, 2);
  assert.match(trust.stderr, /Unknown option --trusts\. Did you mean --trust\? See ferry verify --help\./);
  const unlike = await ferry(home, ['export', '--colour']);
  assert.equal(unlike.code, 2);
  assert.match(unlike.stderr, /Unknown option --colour\. See ferry export --help\./, 'nothing close: no guess');
  const missing = await ferry(home, ['export', '--out']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--out <value>' argument missing\. See ferry export --help\./);
});

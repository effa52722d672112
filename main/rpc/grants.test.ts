import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempDir } from '../testing/cli.js';
import { JobStore } from '../jobs/job-store.js';
import { createDispatcher } from './dispatcher.js';

describe('path grants: the wizard uses paths it was handed; the shell uses what its operator types', () => {
  let work: string;
  let store: string;
  before(async () => {
    work = await tempDir('grants');
    store = path.join(work, 'store');
    await fs.mkdir(store);
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  test('the browser transport refuses a store nobody picked, naming the field', async () => {
    const dispatcher = await createDispatcher({ home: path.join(work, 'home'), transport: 'browser' });
    try {
      const answer = await dispatcher.handle('ollama.list', { store });
      assert.equal(answer.ok, false);
      assert.equal(!answer.ok && answer.error.code, 'USAGE');
      assert.equal(!answer.ok && answer.error.details?.field, 'store');
    } finally {
      await dispatcher.close();
    }
  });

  test('the cli transport lists the store it is given', async () => {
    const dispatcher = await createDispatcher({ home: path.join(work, 'home'), transport: 'cli' });
    try {
      const answer = await dispatcher.handle('ollama.list', { store });
      assert.deepEqual(answer, { ok: true, result: { store, models: [], unavailable: [] } });
    } finally {
      await dispatcher.close();
    }
  });

  test('a path deep in a request (a key file of an import) is checked too, and named as the user knows it', async () => {
    const dispatcher = await createDispatcher({ home: path.join(work, 'home'), transport: 'browser', browseRoots: [store] });
    try {
      const key = path.join(work, 'outside.pem');
      const answer = await dispatcher.handle('import.start', { request: { dir: store, toDir: store, trust: [store, key] } });
      assert.equal(answer.ok, false);
      assert.equal(!answer.ok && answer.error.code, 'USAGE');
      assert.equal(!answer.ok && answer.error.details?.field, 'trust.1');
    } finally {
      await dispatcher.close();
    }
  });
});

describe('path grants survive a restart of the desktop app for the jobs it kept', () => {
  let work: string;
  before(async () => {
    work = await tempDir('grants-restart');
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  test("a paused import's folders stay chosen after a restart; other folders are still refused", async () => {
    const home = path.join(work, 'home');
    const store = path.join(work, 'pvc', 'models');
    const other = path.join(work, 'elsewhere');
    await fs.mkdir(store, { recursive: true });
    await fs.mkdir(other, { recursive: true });
    const now = new Date().toISOString();
    await JobStore.forHome(home).save({
      id: '0b6f2c1e-3d4a-4e5f-8a9b-0c1d2e3f4a5b',
      kind: 'import',
      state: 'paused',
      title: 'Import',
      createdAt: now,
      updatedAt: now,
      progress: null,
      request: { dir: path.join(work, 'usb', 'bundle'), toOllamaStore: store },
    });
    const dispatcher = await createDispatcher({ home, transport: 'electron' });
    try {
      const kept = await dispatcher.handle('ollama.list', { store });
      assert.equal(kept.ok, true, JSON.stringify(kept));
      const refused = await dispatcher.handle('ollama.list', { store: other });
      assert.equal(!refused.ok && refused.error.code, 'USAGE');
    } finally {
      await dispatcher.close();
    }
  });
});

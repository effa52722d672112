import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempDir } from '../testing/cli.js';
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

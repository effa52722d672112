import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import '../kinds.js';
import { openEngine } from '../engine.js';
import { exportRunbookBundle, signerKeyApart, tempDir } from '../testing/cli.js';
import { pauseReason } from '../util/pause.js';
import { runImport } from './import.js';

let work: string;
let bundle: string;
before(async () => {
  work = await tempDir('verify-stopped');
  bundle = await exportRunbookBundle(work);
});
after(() => fs.rm(work, { recursive: true, force: true }));

test('an import stopped while it verifies is recorded as cancelled, not as a refused bundle', async () => {
  const engine = await openEngine({ home: path.join(work, 'importer') });
  try {
    const request = { dir: bundle, trust: [await signerKeyApart(bundle)], toDir: path.join(work, 'restored') };
    await assert.rejects(runImport(engine, request, { signal: AbortSignal.abort() }), { code: 'CANCELLED' });
    assert.deepEqual(engine.ledger.events({ type: 'import.rejected' }), [], 'nothing was refused');
    const [cancelled] = engine.ledger.events({ type: 'import.cancelled' });
    assert.ok(cancelled, 'the stop is recorded');
    assert.equal(cancelled.event.dir, bundle);
    assert.deepEqual(cancelled.event.targets, { dir: path.join(work, 'restored') });
  } finally {
    engine.close();
  }
});

test('an import paused while it verifies is recorded as paused, and can be run again', async () => {
  const engine = await openEngine({ home: path.join(work, 'pauser') });
  try {
    const request = { dir: bundle, trust: [await signerKeyApart(bundle)], toDir: path.join(work, 'restored-after-pause') };
    const controller = new AbortController();
    controller.abort(pauseReason());
    await assert.rejects(runImport(engine, request, { signal: controller.signal }), { code: 'CANCELLED' });
    assert.deepEqual(engine.ledger.events({ type: 'import.rejected' }), []);
    assert.equal(engine.ledger.events({ type: 'import.paused' }).length, 1);
    const done = await runImport(engine, request);
    assert.equal(done.artifacts[0]?.status, 'imported');
  } finally {
    engine.close();
  }
});

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import '../kinds.js';
import { openEngine } from '../engine.js';
import { credentialSource } from '../registry/credentials.js';
import { exportRunbookBundle, missingTools, signerKeyApart, tempDir } from '../testing/cli.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';
import { runImport } from './import.js';

describe('a push checks the registry and the credentials before it reads the bundle', async () => {
  const skip = await missingTools(['docker-registry']);
  let work: string;
  let bundle: string;
  let registry: TestRegistry;
  before(async () => {
    if (skip) return;
    work = await tempDir('registry-first');
    bundle = await exportRunbookBundle(work);
    registry = await startRegistry({ auth: 'htpasswd' });
  });
  after(async () => {
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('a wrong password is refused before the verification, with the target named in the ledger', { skip }, async () => {
    const engine = await openEngine({ home: path.join(work, 'importer') });
    try {
      const request = {
        dir: bundle,
        trust: [await signerKeyApart(bundle)],
        toRegistry: { target: `${registry.host}/airgap`, access: { plainHttp: true } },
      };
      const credentials = credentialSource({ given: new Map([[registry.host, { username: 'ferry', password: 'wrong' }]]) });
      await assert.rejects(runImport(engine, request, { credentials }), { code: 'AUTH' });
      assert.deepEqual(engine.ledger.events({ type: 'import.verified' }), [], 'no volume was read');
      const [rejected] = engine.ledger.events({ type: 'import.rejected' });
      assert.deepEqual(rejected?.event.targets, { registry: `${registry.host}/airgap` });
    } finally {
      engine.close();
    }
  });
});

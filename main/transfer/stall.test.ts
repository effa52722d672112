/**
 * A push whose registry stops answering says what it waits for ("the registry is not answering
 * (HTTP 502): retry 2 of 8 in 1 s"), and goes on once the registry is back: a real docker-registry,
 * killed and restarted behind a proxy while the import reads and pushes.
 */
import '../kinds.js';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { openEngine } from '../engine.js';
import { credentialSource } from '../registry/credentials.js';
import { missingTools, tempDir } from '../testing/cli.js';
import { craftBundle, ollamaParts, testSiteKey } from '../testing/crafted-bundle.js';
import { startFaultProxy, type FaultProxy } from '../testing/fault-proxy.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';
import { runImport } from './import.js';

const MiB = 1024 * 1024;
const skip = await missingTools(['docker-registry']);

describe('a stalled push says what it waits for', { skip }, () => {
  let work: string;
  let registry: TestRegistry;
  let proxy: FaultProxy;
  const key = testSiteKey();

  before(async () => {
    work = await tempDir('stall');
    registry = await startRegistry();
    proxy = await startFaultProxy({ host: '127.0.0.1', port: registry.port });
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('the registry killed mid-push: the waiting text names the retry, and the import finishes once it is back', async () => {
    const inputs = await ollamaParts(path.join(work, 'source'), [{ name: 'acme/slow:1', modelBytes: 4 * MiB }]);
    const crafted = await craftBundle({ dir: path.join(work, 'bundle'), signer: key, volumeSize: MiB, inputs });
    const pub = path.join(work, 'site.pub.pem');
    await fs.writeFile(pub, key.publicKeyPem);
    proxy.throttle(2 * MiB);
    const waits: (string | undefined)[] = [];
    let pushed = 0;
    const engine = await openEngine({ home: path.join(work, 'home') });
    try {
      const running = runImport(
        engine,
        { dir: crafted.dir, trust: [pub], toRegistry: { target: `${proxy.host}/stall`, access: { plainHttp: true }, chunkSize: 512 * 1024 } },
        {
          credentials: credentialSource({ given: new Map() }),
          onProgress: (p) => (pushed = p.bytesDone),
          onWaiting: (text) => waits.push(text),
        },
      );
      while (pushed < 1.5 * MiB) await sleep(50);
      await registry.kill();
      proxy.throttle(null);
      const deadline = Date.now() + 30_000;
      while (!waits.some(Boolean) && Date.now() < deadline) await sleep(100);
      await registry.restart();
      const result = await running;
      assert.equal(result.artifacts[0]!.status, 'imported');
      const said = waits.filter((w): w is string => Boolean(w));
      assert.ok(said.length > 0, 'a wait was reported while the registry was down');
      assert.match(said[0]!, /^the registry is not answering \(.+\): retry \d+ of \d+ in \d+ s$/);
      assert.equal(waits.at(-1), undefined, 'cleared once the registry answered again');
    } finally {
      engine.close();
    }
  });
});

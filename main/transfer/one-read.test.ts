/**
 * An import reads each byte of the volumes once, whatever its targets, and commits nothing until
 * every volume and every blob has matched. Bytes read are counted by the one module every volume
 * read goes through (bundle/volume-reads.ts), against a real docker-registry and real folders.
 */
import '../kinds.js';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openEngine } from '../engine.js';
import { blobEntryName } from '../bundle/plan.js';
import { volumeBytesRead } from '../bundle/volume-reads.js';
import { credentialSource } from '../registry/credentials.js';
import { listFiles, missingTools, tempDir } from '../testing/cli.js';
import { craftBundle, ollamaParts, testSiteKey } from '../testing/crafted-bundle.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { startFaultProxy } from '../testing/fault-proxy.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';
import type { Progress } from '../util/progress.js';
import { runImport } from './import.js';

const VOLUME_SIZE = 256 * 1024;
const skip = await missingTools(['docker-registry']);

describe('one read per byte on import; nothing committed until everything matched', { skip }, () => {
  let work: string;
  let pub: string;
  let registry: TestRegistry;
  const key = testSiteKey();

  before(async () => {
    work = await tempDir('one-read');
    pub = path.join(work, 'site.pub.pem');
    await fs.writeFile(pub, key.publicKeyPem);
    registry = await startRegistry();
  });
  after(async () => {
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  async function bundleOf(slug: string, lie?: (names: string[]) => string) {
    const inputs = await ollamaParts(path.join(work, `source-${slug}`), [
      { name: 'acme/first:1', modelBytes: 600_000, license: 'MIT' },
      { name: 'zzz/last:1', modelBytes: 500_000 },
    ]);
    const lastWeights = inputs[1]!.blobs.find((b) => b.size === 500_000)!;
    return craftBundle({
      dir: path.join(work, `bundle-${slug}`),
      signer: key,
      volumeSize: VOLUME_SIZE,
      inputs,
      ...(lie
        ? {
            editEntries: (entries) => {
              const name = lie([blobEntryName(lastWeights.digest)]);
              const entry = entries.find((e) => e.name === name)!;
              const data = Buffer.from(entry.data);
              data[data.length - 10] = data[data.length - 10]! ^ 0xff;
              entry.data = data;
            },
          }
        : {}),
    });
  }

  async function importInto(home: string, dir: string, store: string, prefix: string, progress: Progress[] = [], registryHost = registry.host) {
    const engine = await openEngine({ home });
    try {
      return await runImport(
        engine,
        { dir, trust: [pub], toOllamaStore: store, toRegistry: { target: `${registryHost}/${prefix}`, access: { plainHttp: true }, chunkSize: 128 * 1024 } },
        { credentials: credentialSource({ given: new Map() }), onProgress: (p) => progress.push(p) },
      );
    } finally {
      engine.close();
    }
  }

  test('an import into an Ollama store and a registry reads every volume byte once, and progress only grows within a phase', async () => {
    const crafted = await bundleOf('clean');
    const tarBytes = crafted.index.tar.size;
    assert.ok(crafted.index.volumes.length >= 4, `several volumes (${crafted.index.volumes.length})`);
    const progress: Progress[] = [];
    const before = volumeBytesRead();
    const result = await importInto(path.join(work, 'home-clean'), crafted.dir, path.join(work, 'store-clean'), 'clean', progress);
    const read = volumeBytesRead() - before;
    assert.equal(result.artifacts.filter((a) => a.status === 'imported').length, 4, 'two models into the store, two into the registry');
    // The manifests are read in place before the volumes (a few kilobytes): that is all that is read twice.
    const manifests = crafted.index.artifacts.reduce((sum, a) => sum + a.size, 0);
    assert.ok(read >= tarBytes, `every byte read (${read} of ${tarBytes})`);
    assert.ok(read <= tarBytes + manifests, `read ${read} bytes for a ${tarBytes}-byte bundle (${(read / tarBytes).toFixed(3)}×): one read`);

    const byPhase = new Map<string, number>();
    for (const p of progress) {
      const phase = p.phase ?? '';
      assert.ok(p.bytesDone >= (byPhase.get(phase) ?? 0), `"${phase}" went back from ${byPhase.get(phase)} to ${p.bytesDone}`);
      byPhase.set(phase, p.bytesDone);
    }
    const reading = progress.filter((p) => p.phase?.startsWith('Reading volume'));
    assert.ok(
      reading.some((p) => /^Reading volume \d+ of \d+ and pushing: \d+ of \d+ blobs$/.test(p.phase!)),
      'the phase names the volume and the push',
    );
    assert.ok(
      reading.every((p) => !/oci-layout|index\.json|blobs\/sha256/.test(p.item)),
      'items are what the user picked, not tar entries',
    );
    assert.ok(reading.some((p) => p.item === 'registry.ollama.ai/zzz/last:1'));
  });

  test('a lying blob in the last volume is refused, and no target holds anything of the import', async () => {
    const crafted = await bundleOf('lie', (names) => names[0]!);
    const last = crafted.index.volumes.at(-1)!.file;
    const lying = crafted.index.blobs.find((b) => b.size === 500_000)!;
    const endsIn = crafted.index.volumes[Math.floor((lying.offset + lying.size - 1) / VOLUME_SIZE)]!.file;
    assert.equal(endsIn, last, 'the lying blob ends in the last volume');
    const store = path.join(work, 'store-lie');
    await makeOllamaStore(store, [{ name: 'other:1', modelBytes: 70_000 }]);
    const storeBefore = await listFiles(store);
    const home = path.join(work, 'home-lie');
    await assert.rejects(importInto(home, crafted.dir, store, 'lie'), (err: Error & { code?: string; details?: Record<string, unknown> }) => {
      assert.equal(err.code, 'INTEGRITY', err.message);
      assert.match(err.message, /does not match its digest/);
      assert.match(String(err.details?.blob), /^sha256:/);
      return true;
    });
    assert.deepEqual(await listFiles(store), storeBefore, 'the store holds exactly what it held: no blob, no manifest, no temp file');
    for (const repository of ['lie/first', 'lie/last']) {
      const tags = await fetch(`${registry.url}/v2/${repository}/tags/list`);
      assert.equal(tags.status, 404, `${repository} has no tag: nothing names the blobs that went up`);
      await tags.body?.cancel();
    }
    const engine = await openEngine({ home });
    try {
      const rejected = engine.ledger.events({ type: 'import.rejected' });
      assert.equal(rejected.length, 1);
      const problems = (rejected[0]!.event as { problems?: { blob?: string; volume?: string }[] }).problems ?? [];
      assert.ok(
        problems.some((p) => p.blob && p.volume),
        `the refusal names the blob and the volume it was read from: ${JSON.stringify(problems)}`,
      );
      assert.ok(
        problems.some((p) => p.volume === last && p.blob === lying.digest),
        'named: the last volume and the lying blob',
      );
      assert.deepEqual(engine.ledger.events({ type: 'import.verified' }), [], 'never verified');
      assert.deepEqual(engine.ledger.events({ type: 'import.completed' }), []);
    } finally {
      engine.close();
    }
  });

  test('a registry that refuses the manifests once every blob matched leaves the Ollama store untouched too', async () => {
    const crafted = await bundleOf('refused');
    const store = path.join(work, 'store-refused');
    await makeOllamaStore(store, [{ name: 'other:1', modelBytes: 70_000 }]);
    const storeBefore = await listFiles(store);
    const proxy = await startFaultProxy({ host: '127.0.0.1', port: registry.port });
    const denied = JSON.stringify({ errors: [{ code: 'DENIED', message: 'manifest uploads are closed' }] });
    proxy.inject({ method: 'PUT', path: /\/manifests\//, times: 100, action: { kind: 'status', status: 403, body: denied } });
    const home = path.join(work, 'home-refused');
    try {
      await assert.rejects(importInto(home, crafted.dir, store, 'refused', [], proxy.host), (err: Error & { code?: string }) => {
        assert.notEqual(err.code, 'INTEGRITY', err.message);
        return true;
      });
    } finally {
      await proxy.stop();
    }
    assert.deepEqual(await listFiles(store), storeBefore, 'the store holds exactly what it held: the registry is committed first, and it refused');
    const engine = await openEngine({ home });
    try {
      assert.equal(engine.ledger.events({ type: 'import.verified' }).length, 1, 'every byte matched');
      assert.equal(engine.ledger.events({ type: 'import.failed' }).length, 1);
      assert.deepEqual(engine.ledger.events({ type: 'import.completed' }), []);
    } finally {
      engine.close();
    }
  });
});

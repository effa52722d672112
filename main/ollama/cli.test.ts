import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ferry, tempDir } from '../testing/cli.js';
import { breakModel, makeOllamaStore } from '../testing/ollama-fixture.js';

describe('ferry ollama ls and export with broken and cloud models in the store', () => {
  let work: string;
  let store: string;
  let home: string;
  let gone: string;

  before(async () => {
    work = await tempDir('ollama-cli');
    store = path.join(work, 'store');
    home = path.join(work, 'home');
    const { models } = await makeOllamaStore(store, [
      { name: 'granite4.1:8b' },
      { name: 'empty:1' },
      { name: 'gone:1' },
      { name: 'mangled:1' },
      { name: 'gpt-oss:120b-cloud', cloud: { host: 'https://ollama.com:443', model: 'gpt-oss:120b' } },
    ]);
    await breakModel(store, models[1]!, 'empty-manifest');
    await breakModel(store, models[2]!, 'missing-blob');
    await breakModel(store, models[3]!, 'malformed-json');
    gone = models[2]!.blobs[1]!;
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  test('ls exits 0 and lists every model, the broken ones with their problem, the cloud one as cloud', async () => {
    const listed = await ferry(home, ['ollama', 'ls', '--store', store, '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const { models, unavailable } = JSON.parse(listed.stdout).result;
    assert.deepEqual(
      models.map((m: { name: string }) => m.name),
      ['granite4.1:8b'],
    );
    assert.deepEqual(
      unavailable.map((u: { name: string; kind: string; reason: string }) => [u.name, u.kind, u.reason.replace(/ \(.*\)$/, '')]),
      [
        ['empty:1', 'broken', 'its manifest is empty'],
        ['gone:1', 'broken', `blob ${gone} is missing`],
        ['gpt-oss:120b-cloud', 'cloud', 'a cloud model: it runs on https://ollama.com:443, and this store holds no weights for it to carry'],
        ['mangled:1', 'broken', 'its manifest is not valid JSON'],
      ],
    );

    const table = await ferry(home, ['ollama', 'ls', '--store', store]);
    assert.equal(table.code, 0, table.stderr);
    for (const name of ['granite4.1:8b', 'empty:1', 'gone:1', 'mangled:1', 'gpt-oss:120b-cloud'])
      assert.ok(table.stdout.includes(name), `${name} missing from\n${table.stdout}`);
    assert.match(table.stdout, /empty:1 +broken +its manifest is empty/);
  });

  test('export refuses a broken or a cloud model, naming it and its problem', async () => {
    const out = (name: string) => ['export', '--out', path.join(work, 'usb', name), '--ollama-store', store];
    const broken = await ferry(home, [...out('b1'), '--ollama', 'empty:1']);
    assert.equal(broken.code, 1, broken.stderr);
    assert.match(broken.stderr, /Model empty:1 is broken: its manifest is empty/);
    const missing = await ferry(home, [...out('b2'), '--ollama', 'gone:1']);
    assert.equal(missing.code, 1, missing.stderr);
    assert.ok(missing.stderr.includes(`Model gone:1 is broken: blob ${gone} is missing`), missing.stderr);
    const cloud = await ferry(home, [...out('b3'), '--ollama', 'gpt-oss:120b-cloud']);
    assert.equal(cloud.code, 1, cloud.stderr);
    assert.match(cloud.stderr, /Model gpt-oss:120b-cloud is a cloud model: it runs on https:\/\/ollama\.com:443/);
  });

  test('export finds a model by a name typed in another case, as Ollama does', async () => {
    const bundle = path.join(work, 'usb', 'case');
    const exported = await ferry(home, ['export', '--out', bundle, '--ollama-store', store, '--ollama', 'Granite4.1:8B', '--json']);
    assert.equal(exported.code, 0, exported.stderr);
    const index = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8'));
    assert.deepEqual(
      index.artifacts.map((a: { ref: string }) => a.ref),
      ['registry.ollama.ai/library/granite4.1:8b'],
    );
  });
});

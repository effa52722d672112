import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { breakModel, FIXTURE_CONTEXT_LENGTH, FIXTURE_PARAMETER_COUNT, makeOllamaStore } from '../testing/ollama-fixture.js';
import { FerryError } from '../util/errors.js';
import { blobPath, defaultOllamaStore, listModels, readModel } from './store.js';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-ollama-store-'));
  tempDirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

async function rejectsWith(promise: Promise<unknown>, code: string, ...mentions: string[]) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof FerryError, `expected FerryError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const m of mentions) assert.ok(err.message.includes(m), `"${err.message}" should mention ${m}`);
    return true;
  });
}

const THREE = [
  { name: 'granite4.1:8b', family: 'granite', quantization: 'Q4_K_M', license: 'Apache-2.0 text', template: '{{ .Prompt }}', params: { stop: ['<|end|>'] } },
  { name: 'granite4.1:latest', family: 'granite', sharedWith: 'granite4.1:8b', manifestStyle: 'pretty' as const, system: 'Be brief.' },
  { name: 'acme/tiny:1', modelBytes: 100_000 },
];

let store: string;
let fixture: Awaited<ReturnType<typeof makeOllamaStore>>;
before(async () => {
  store = await tempDir();
  fixture = await makeOllamaStore(store, THREE);
});

test('lists a store with shared blobs, a pretty manifest, a license and another namespace', async () => {
  const { models, broken } = await listModels(store);
  assert.deepEqual(broken, []);
  assert.deepEqual(
    models.map((m) => m.displayName),
    ['acme/tiny:1', 'granite4.1:8b', 'granite4.1:latest'],
  );
  for (const model of models) {
    const fileBytes = await fs.readFile(model.manifestPath);
    const hex = createHash('sha256').update(fileBytes).digest('hex');
    assert.equal(model.modelId, hex.slice(0, 12));
    assert.equal(model.manifestDigest, `sha256:${hex}`);
    assert.deepEqual(model.manifestBytes, fileBytes);
    const made = fixture.models.find((f) => f.ref === model.ref)!;
    assert.equal(made.manifestDigest, model.manifestDigest);
    assert.deepEqual([model.config.digest, ...model.layers.map((l) => l.digest)], made.blobs);
    let expectedSize = 0;
    for (const blob of [model.config, ...model.layers]) {
      assert.equal(blob.path, path.join(store, 'blobs', blob.digest.replace(':', '-')));
      assert.equal((await fs.stat(blob.path)).size, blob.size);
      expectedSize += blob.size;
    }
    assert.equal(model.size, expectedSize);
  }
  const [tiny, g8b, glatest] = models as [(typeof models)[0], (typeof models)[0], (typeof models)[0]];
  assert.equal(tiny.ref, 'registry.ollama.ai/acme/tiny:1');
  assert.deepEqual(tiny.name, { host: 'registry.ollama.ai', namespace: 'acme', model: 'tiny', tag: '1' });
  assert.equal(g8b.ref, 'registry.ollama.ai/library/granite4.1:8b');
  assert.equal(g8b.licensePresent, true);
  assert.equal(glatest.licensePresent, false);
  assert.equal(tiny.licensePresent, false);
  assert.equal(g8b.layers[0]!.digest, glatest.layers[0]!.digest, 'the model blob is shared');
  assert.ok((await fs.readFile(glatest.manifestPath, 'utf8')).endsWith('}\n'), 'pretty manifest kept byte for byte');
  assert.equal(tiny.layers[0]!.size, 100_000);
});

test('details come from the config and the GGUF header', async () => {
  const byName = new Map((await listModels(store)).models.map((m) => [m.displayName, m]));
  const g8b = byName.get('granite4.1:8b')!;
  assert.equal(g8b.details.format, 'gguf');
  assert.equal(g8b.details.family, 'granite');
  assert.deepEqual(g8b.details.families, ['granite']);
  assert.equal(g8b.details.quantization, 'Q4_K_M');
  assert.equal(g8b.details.architecture, 'granite');
  assert.equal(g8b.details.parameterCount, FIXTURE_PARAMETER_COUNT);
  assert.equal(g8b.details.contextLength, FIXTURE_CONTEXT_LENGTH);
  assert.equal(g8b.details.modelType, '8.0B');
  assert.equal(g8b.details.parameters, '8.0B');
  // This fixture's config has no file_type: the quantization can only have come from the GGUF header.
  const tiny = byName.get('acme/tiny:1')!;
  assert.equal(tiny.details.quantization, 'Q4_K_M');
  assert.equal(tiny.details.architecture, 'llama');
  assert.equal(tiny.details.parameterCount, FIXTURE_PARAMETER_COUNT);
});

test('readModel finds models by the names users type, NOT_FOUND otherwise', async () => {
  assert.equal((await readModel(store, 'granite4.1:8b')).ref, 'registry.ollama.ai/library/granite4.1:8b');
  assert.equal((await readModel(store, 'granite4.1')).displayName, 'granite4.1:latest');
  assert.equal((await readModel(store, 'ACME/Tiny:1')).displayName, 'acme/tiny:1');
  assert.equal((await readModel(store, { host: 'registry.ollama.ai', namespace: 'acme', model: 'tiny', tag: '1' })).modelId.length, 12);
  await rejectsWith(readModel(store, 'nope:1'), 'NOT_FOUND', 'nope:1', store, 'ferry ollama ls');
  await rejectsWith(readModel(store, '../x'), 'USAGE');
});

test('skips hidden manifest files and unrelated blobs; a -partial tag is a name like any other', async () => {
  const dir = await tempDir();
  await makeOllamaStore(dir, [{ name: 'm:1' }]);
  const tagDir = path.join(dir, 'manifests', 'registry.ollama.ai', 'library', 'm');
  await fs.writeFile(path.join(tagDir, '2-partial'), 'not json');
  await fs.writeFile(path.join(tagDir, '3-partial-0'), 'not json');
  await fs.writeFile(path.join(tagDir, '.4.tmp'), 'not json');
  await fs.writeFile(path.join(dir, 'blobs', `sha256-${'0'.repeat(64)}-partial`), 'x');
  const { models, broken } = await listModels(dir);
  assert.deepEqual(
    models.map((m) => m.displayName),
    ['m:1'],
  );
  // Ollama's name rules allow "-partial" in a tag ("-partial" is its rule for blobs): these are models, broken ones.
  assert.deepEqual(
    broken.map((b) => [b.displayName, b.problem.startsWith('its manifest is not valid JSON')]),
    [
      ['m:2-partial', true],
      ['m:3-partial-0', true],
    ],
  );
});

test('an empty store lists nothing; a missing store names the folder', async () => {
  const empty = await tempDir();
  assert.deepEqual(await listModels(empty), { models: [], broken: [] });
  const missing = path.join(empty, 'no-such-store');
  await rejectsWith(listModels(missing), 'NOT_FOUND', missing, 'OLLAMA_MODELS', '--ollama-store');
  await rejectsWith(readModel(missing, 'm:1'), 'NOT_FOUND', missing);
});

test('a missing blob names the model and the blob', async () => {
  const dir = await tempDir();
  const { models } = await makeOllamaStore(dir, [{ name: 'acme/gone:1', license: 'L' }]);
  const licenseDigest = models[0]!.blobs[2]!;
  await fs.rm(blobPath(dir, licenseDigest));
  const { broken } = await listModels(dir);
  assert.deepEqual(
    broken.map((b) => b.displayName),
    ['acme/gone:1'],
  );
  assert.ok(broken[0]!.problem.includes(licenseDigest), broken[0]!.problem);
  await rejectsWith(readModel(dir, 'acme/gone:1'), 'INVALID_INPUT', 'acme/gone:1', licenseDigest);
});

test('a blob of the wrong size names the model and the blob', async () => {
  const dir = await tempDir();
  const { models } = await makeOllamaStore(dir, [{ name: 'short:1' }]);
  const modelDigest = models[0]!.blobs[1]!;
  await fs.truncate(blobPath(dir, modelDigest), 1000);
  await rejectsWith(readModel(dir, 'short:1'), 'INTEGRITY', 'short:1', modelDigest);
});

test('a broken manifest names the model and the file', async () => {
  const dir = await tempDir();
  const { models } = await makeOllamaStore(dir, [{ name: 'broken:1' }, { name: 'nolayers:1' }]);
  await fs.writeFile(models[0]!.manifestPath, '{"schemaVersion":2,');
  await rejectsWith(readModel(dir, 'broken:1'), 'INVALID_INPUT', 'broken:1', models[0]!.manifestPath);
  await fs.writeFile(models[1]!.manifestPath, '{"schemaVersion":2,"config":{"mediaType":"x","digest":"sha256:00","size":1}}');
  await rejectsWith(readModel(dir, 'nolayers:1'), 'INVALID_INPUT', 'nolayers:1', models[1]!.manifestPath);
});

test('a model layer that is not GGUF still lists, without GGUF details', async () => {
  const dir = await tempDir();
  const { models } = await makeOllamaStore(dir, [{ name: 'weird:1', quantization: 'Q8_0' }]);
  const modelBlob = blobPath(dir, models[0]!.blobs[1]!);
  const { size } = await fs.stat(modelBlob);
  // Same size, so only the header parse can notice; digests are not checked when reading.
  await fs.writeFile(modelBlob, Buffer.alloc(size, 0x41));
  const [model] = (await listModels(dir)).models;
  assert.equal(model!.details.quantization, 'Q8_0');
  assert.equal(model!.details.architecture, undefined);
  assert.equal(model!.details.parameterCount, undefined);
});

test('blobPath validates the digest form', () => {
  assert.equal(blobPath('/s', `sha256:${'a'.repeat(64)}`), path.join('/s', 'blobs', `sha256-${'a'.repeat(64)}`));
  for (const bad of ['sha256-' + 'a'.repeat(64), 'sha256:' + 'A'.repeat(64), 'sha256:../../x', 'md5:abc', '']) {
    assert.throws(
      () => blobPath('/s', bad),
      (err: unknown) => err instanceof FerryError && err.code === 'INVALID_INPUT',
    );
  }
});

test('defaultOllamaStore honours OLLAMA_MODELS', () => {
  assert.equal(defaultOllamaStore({ OLLAMA_MODELS: '/srv/ollama' }), path.resolve('/srv/ollama'));
  const fallback = defaultOllamaStore({});
  assert.ok(fallback.endsWith(path.join('.ollama', 'models')));
});

test('one broken model does not hide the others: each is listed with its problem, and reading it names both', async () => {
  const dir = await tempDir();
  const { models } = await makeOllamaStore(dir, [{ name: 'good:1' }, { name: 'empty:1' }, { name: 'gone:1' }, { name: 'mangled:1' }]);
  await breakModel(dir, models[1]!, 'empty-manifest');
  await breakModel(dir, models[2]!, 'missing-blob');
  await breakModel(dir, models[3]!, 'malformed-json');
  const listing = await listModels(dir);
  assert.deepEqual(
    listing.models.map((m) => m.displayName),
    ['good:1'],
  );
  assert.deepEqual(
    listing.broken.map((b) => [b.displayName, b.problem.replace(/\(.*\)$/, '(…)')]),
    [
      ['empty:1', 'its manifest is empty'],
      ['gone:1', `blob ${models[2]!.blobs[1]} is missing`],
      ['mangled:1', 'its manifest is not valid JSON (…)'],
    ],
  );
  await rejectsWith(readModel(dir, 'empty:1'), 'INVALID_INPUT', 'empty:1', 'its manifest is empty', models[1]!.manifestPath, 'ollama pull empty:1');
  await rejectsWith(readModel(dir, 'gone:1'), 'INVALID_INPUT', 'gone:1', `blob ${models[2]!.blobs[1]} is missing`);
  await rejectsWith(readModel(dir, 'mangled:1'), 'INVALID_INPUT', 'mangled:1', 'not valid JSON');
});

test('names: qwen2..5 is a model; lookups ignore case as Ollama does and prefer the exact folder', async () => {
  const dir = await tempDir();
  await makeOllamaStore(dir, [{ name: 'qwen2..5:7b' }, { name: 'granite4.1:8b' }]);
  assert.deepEqual(
    (await listModels(dir)).models.map((m) => m.displayName),
    ['granite4.1:8b', 'qwen2..5:7b'],
  );
  assert.equal((await readModel(dir, 'Granite4.1:8B')).ref, 'registry.ollama.ai/library/granite4.1:8b');
  assert.equal((await readModel(dir, 'QWEN2..5:7B')).displayName, 'qwen2..5:7b');
});

test('a cloud stub is listed as a cloud model, with no weights', async () => {
  const dir = await tempDir();
  await makeOllamaStore(dir, [{ name: 'gpt-oss:120b-cloud', cloud: { host: 'https://ollama.com:443', model: 'gpt-oss:120b' } }, { name: 'local:1' }]);
  const { models, broken } = await listModels(dir);
  assert.deepEqual(broken, []);
  const byName = new Map(models.map((m) => [m.displayName, m]));
  assert.deepEqual(byName.get('gpt-oss:120b-cloud')!.remote, { host: 'https://ollama.com:443', model: 'gpt-oss:120b' });
  assert.equal(byName.get('local:1')!.remote, undefined);
});

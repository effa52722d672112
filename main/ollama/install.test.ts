import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { storeOf } from '../testing/blob-store.js';
import { corruptBlob, installBlobsOf, makeOllamaStore } from '../testing/ollama-fixture.js';
import { FerryError } from '../util/errors.js';
import { installModel } from './install.js';
import { listModels, readModel } from './store.js';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-ollama-install-'));
  tempDirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

/** Every file under `dir`, relative, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Temp files of anyone's: Ollama's `-partial` names and Ferry's staging folder. */
function temps(files: string[]): string[] {
  return files.filter((f) => f.includes('partial') || f.includes('.ferry-staging'));
}

async function rejectsWith(promise: Promise<unknown>, code: string, ...mentions: string[]) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof FerryError, `expected FerryError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const m of mentions) assert.ok(err.message.includes(m), `"${err.message}" should mention ${m}`);
    return true;
  });
}

test('installs byte-identical files, then installs nothing the second time', async () => {
  const source = await tempDir();
  await makeOllamaStore(source, [
    { name: 'granite4.1:8b', family: 'granite', quantization: 'Q4_K_M', license: 'Apache', template: '{{ .Prompt }}', params: { temperature: 0 } },
    { name: 'acme/tiny:1', manifestStyle: 'pretty', system: 'Be brief.', modelBytes: 3 * 1024 * 1024 + 7 },
  ]);
  const target = path.join(await tempDir(), 'models'); // does not exist yet

  let bytes = 0;
  for (const model of (await listModels(source)).models) {
    const result = await installModel(target, {
      ref: model.ref,
      manifestBytes: model.manifestBytes,
      blobs: storeOf(installBlobsOf(model)),
      onBytes: (n) => (bytes += n),
    });
    assert.equal(result.modelId, model.modelId);
    assert.equal(result.manifestDigest, model.manifestDigest);
    assert.equal(result.manifestPath, path.join(target, path.relative(source, model.manifestPath)));
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(result.written.sort(), [...new Set([model.config.digest, ...model.layers.map((l) => l.digest)])].sort());
  }
  const sourceFiles = await filesUnder(source);
  assert.deepEqual(await filesUnder(target), sourceFiles, 'no temp files, nothing extra');
  for (const file of sourceFiles) assert.deepEqual(await fs.readFile(path.join(target, file)), await fs.readFile(path.join(source, file)), file);
  const total = (await Promise.all(sourceFiles.filter((f) => f.startsWith('blobs')).map((f) => fs.stat(path.join(source, f))))).reduce(
    (s, st) => s + st.size,
    0,
  );
  assert.equal(bytes, total);

  const installed = (await listModels(target)).models;
  assert.deepEqual(
    installed.map((m) => [m.displayName, m.modelId]),
    (await listModels(source)).models.map((m) => [m.displayName, m.modelId]),
  );

  const mtimes = new Map<string, number>();
  for (const file of sourceFiles) mtimes.set(file, (await fs.stat(path.join(target, file))).mtimeMs);
  await new Promise((r) => setTimeout(r, 20));
  for (const model of (await listModels(source)).models) {
    const again = await installModel(target, { ref: model.ref, manifestBytes: model.manifestBytes, blobs: storeOf(installBlobsOf(model)) });
    assert.deepEqual(again.written, []);
    assert.equal(again.skipped.length, new Set([model.config.digest, ...model.layers.map((l) => l.digest)]).size);
  }
  for (const file of sourceFiles.filter((f) => f.startsWith('blobs'))) {
    assert.equal((await fs.stat(path.join(target, file))).mtimeMs, mtimes.get(file), `${file} was not rewritten`);
  }
  assert.deepEqual(await filesUnder(target), sourceFiles);
});

test('corrupted bytes are refused: INTEGRITY naming the blob, no manifest, no temp files', async () => {
  const source = await tempDir();
  const { models } = await makeOllamaStore(source, [{ name: 'acme/bad:1', license: 'L', modelBytes: 2 * 1024 * 1024 }]);
  const modelDigest = models[0]!.blobs[1]!;
  const model = await readModel(source, 'acme/bad:1');
  await corruptBlob(source, modelDigest);
  const target = await tempDir();
  await rejectsWith(
    installModel(target, { ref: model.ref, manifestBytes: model.manifestBytes, blobs: storeOf(installBlobsOf(model)) }),
    'INTEGRITY',
    modelDigest,
    model.ref,
  );
  const left = await filesUnder(target);
  assert.ok(!left.some((f) => f.startsWith('manifests')), `no manifest: ${left.join(', ')}`);
  assert.deepEqual(temps(left), [], 'no temp files');
  assert.ok(!left.includes(path.join('blobs', modelDigest.replace(':', '-'))));
});

test('a source longer or shorter than declared is refused', async () => {
  const source = await tempDir();
  await makeOllamaStore(source, [{ name: 'len:1' }]);
  const model = await readModel(source, 'len:1');
  for (const extra of [Buffer.from('x'), Buffer.alloc(0)]) {
    const blobs = installBlobsOf(model).map((b, i) =>
      i === 1
        ? {
            ...b,
            open: async () => {
              const bytes = await fs.readFile(model.layers[0]!.path);
              return Readable.from([extra.length ? Buffer.concat([bytes, extra]) : bytes.subarray(1)]);
            },
          }
        : b,
    );
    const target = await tempDir();
    await rejectsWith(
      installModel(target, { ref: model.ref, manifestBytes: model.manifestBytes, blobs: storeOf(blobs) }),
      'INTEGRITY',
      model.layers[0]!.digest,
    );
    const left = await filesUnder(target);
    assert.ok(!left.some((f) => f.startsWith('manifests')));
    assert.deepEqual(temps(left), []);
  }
});

test('a corrupt blob already in the target is replaced, not skipped', async () => {
  const source = await tempDir();
  const { models } = await makeOllamaStore(source, [{ name: 'fix:1' }]);
  const model = await readModel(source, 'fix:1');
  const target = await tempDir();
  await installModel(target, { ref: model.ref, manifestBytes: model.manifestBytes, blobs: storeOf(installBlobsOf(model)) });
  await corruptBlob(target, models[0]!.blobs[1]!);
  const again = await installModel(target, { ref: model.ref, manifestBytes: model.manifestBytes, blobs: storeOf(installBlobsOf(model)) });
  assert.deepEqual(again.written, [models[0]!.blobs[1]]);
  const blobFile = path.join('blobs', models[0]!.blobs[1]!.replace(':', '-'));
  assert.deepEqual(await fs.readFile(path.join(target, blobFile)), await fs.readFile(path.join(source, blobFile)));
});

test('unsafe refs and incomplete blob lists are INVALID_INPUT and write nothing', async () => {
  const source = await tempDir();
  await makeOllamaStore(source, [{ name: 'safe:1', license: 'L' }]);
  const model = await readModel(source, 'safe:1');
  const target = path.join(await tempDir(), 'models');
  for (const ref of [
    'registry.ollama.ai/../safe:1',
    'registry.ollama.ai/library/..:1',
    'registry.ollama.ai/library/safe:../../x',
    'safe:1',
    '../../etc/passwd',
  ]) {
    await rejectsWith(installModel(target, { ref, manifestBytes: model.manifestBytes, blobs: storeOf(installBlobsOf(model)) }), 'INVALID_INPUT');
  }
  await rejectsWith(
    installModel(target, { ref: model.ref, manifestBytes: model.manifestBytes, blobs: storeOf(installBlobsOf(model).slice(0, 2)) }),
    'INVALID_INPUT',
    model.layers[1]!.digest,
  );
  await rejectsWith(
    installModel(target, { ref: model.ref, manifestBytes: Buffer.from('{"layers":[]}'), blobs: storeOf(installBlobsOf(model)) }),
    'INVALID_INPUT',
    model.ref,
  );
  await assert.rejects(fs.stat(target), { code: 'ENOENT' });
});

test('abort removes the temp file and writes no manifest', async () => {
  const source = await tempDir();
  await makeOllamaStore(source, [{ name: 'big:1', modelBytes: 8 * 1024 * 1024 }]);
  const model = await readModel(source, 'big:1');
  const target = await tempDir();
  const controller = new AbortController();
  let seen = 0;
  const onBytes = (n: number) => {
    seen += n;
    if (seen > 1024 * 1024) controller.abort();
  };
  await assert.rejects(
    installModel(target, { ref: model.ref, manifestBytes: model.manifestBytes, blobs: storeOf(installBlobsOf(model)), signal: controller.signal, onBytes }),
    { name: 'AbortError' },
  );
  const left = await filesUnder(target);
  assert.ok(!left.some((f) => f.startsWith('manifests')), left.join(', '));
  assert.deepEqual(temps(left), []);
});

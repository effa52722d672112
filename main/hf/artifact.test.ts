import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { planBundle } from '../bundle/plan.js';
import { makeHfCache } from '../testing/hf-fixture.js';
import { FerryError } from '../util/errors.js';
import { hfArtifact } from './artifact.js';
import { resolveHfRevision } from './cache.js';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-hf-artifact-'));
  tempDirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}
interface Manifest {
  schemaVersion: number;
  mediaType: string;
  artifactType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations: Record<string, string>;
}

test('hfArtifact is a ModelPack manifest: config blob, one raw layer per file sorted by path, HF annotations', async () => {
  const fx = await makeHfCache(await tempDir());
  const revision = await resolveHfRevision(fx.cache, 'acme/tiny-embed');
  const artifact = await hfArtifact(revision);
  assert.equal(artifact.kind, 'hf-repo');
  assert.equal(artifact.ref, 'huggingface.co/acme/tiny-embed:main');
  assert.equal(artifact.mediaType, 'application/vnd.oci.image.manifest.v1+json');

  const manifest = JSON.parse(Buffer.from(artifact.manifest).toString('utf8')) as Manifest;
  assert.equal(manifest.schemaVersion, 2);
  assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.equal(manifest.artifactType, 'application/vnd.cncf.model.manifest.v1+json');
  assert.deepEqual(manifest.annotations, {
    'io.ferry.hf.ref': 'main',
    'io.ferry.hf.repo': 'acme/tiny-embed',
    'io.ferry.hf.revision': fx.model.main.commit,
    'io.ferry.hf.type': 'model',
  });

  assert.deepEqual(
    manifest.layers.map((l) => l.annotations?.['org.cncf.model.filepath']),
    fx.model.main.files.map((f) => f.path),
  );
  const kinds = Object.fromEntries(
    manifest.layers.map((l) => [l.annotations!['org.cncf.model.filepath'], l.mediaType.replace('application/vnd.cncf.model.', '')]),
  );
  assert.deepEqual(kinds, {
    '.gitattributes': 'weight.config.v1.raw',
    '1_Pooling/config.json': 'weight.config.v1.raw',
    LICENSE: 'doc.v1.raw',
    'README.md': 'doc.v1.raw',
    'config.json': 'weight.config.v1.raw',
    'extra/notes.dat': 'weight.config.v1.raw',
    'model.safetensors': 'weight.v1.raw',
    'tokenizer.json': 'weight.config.v1.raw',
    'vocab.txt': 'weight.config.v1.raw',
  });
  for (const [i, layer] of manifest.layers.entries()) {
    const file = fx.model.main.files[i]!;
    assert.equal(layer.annotations!['io.ferry.hf.etag'], file.etag);
    assert.equal(layer.digest, `sha256:${file.sha256}`, `${file.path}: the layer digest is the sha256 of its bytes`);
    assert.equal(layer.size, file.size);
  }

  // The config blob: deterministic ModelPack config, its diffIds the layer digests in order.
  const configBlob = artifact.blobs.find((b) => b.digest === manifest.config.digest)!;
  assert.equal(manifest.config.mediaType, 'application/vnd.cncf.model.config.v1+json');
  assert.equal(configBlob.source.kind, 'bytes');
  const configBytes = (configBlob.source as { bytes: Uint8Array }).bytes;
  assert.equal(sha256(configBytes), manifest.config.digest);
  assert.equal(configBytes.length, manifest.config.size);
  assert.deepEqual(JSON.parse(Buffer.from(configBytes).toString('utf8')), {
    config: {},
    descriptor: { name: 'acme/tiny-embed', revision: fx.model.main.commit },
    modelfs: { type: 'layers', diffIds: manifest.layers.map((l) => l.digest) },
  });

  // Blobs: the config, then every distinct layer once, read from the cache's blob files.
  assert.equal(artifact.blobs.length, 1 + new Set(manifest.layers.map((l) => l.digest)).size);
  const weights = revision.files.find((f) => f.path === 'model.safetensors')!;
  assert.deepEqual(artifact.blobs.find((b) => b.digest === `sha256:${weights.etag}`)?.source, { kind: 'file', path: weights.source });
  assert.deepEqual(artifact.facts, { hfRepo: 'acme/tiny-embed', hfType: 'model', revision: fx.model.main.commit, ref: 'main', files: 9, licensePresent: true });

  // It plans into a bundle like any other artifact.
  const plan = planBundle([artifact]);
  assert.equal(plan.artifacts[0]!.digest, sha256(artifact.manifest));
});

test('hfArtifact is deterministic: same cache, same bytes; a Windows-style copy of the cache gives the same manifest', async () => {
  const fx = await makeHfCache(await tempDir());
  const a = await hfArtifact(await resolveHfRevision(fx.cache, 'acme/tiny-embed@refs/pr/1'));
  const b = await hfArtifact(await resolveHfRevision(fx.cache, 'acme/tiny-embed@refs/pr/1'));
  assert.deepEqual(Buffer.from(a.manifest), Buffer.from(b.manifest));
  assert.equal(a.ref, 'huggingface.co/acme/tiny-embed:refs/pr/1');

  const win = await makeHfCache(await tempDir(), { style: 'copies' });
  const c = await hfArtifact(await resolveHfRevision(win.cache, 'acme/tiny-embed@refs/pr/1'));
  assert.deepEqual(Buffer.from(c.manifest), Buffer.from(a.manifest));
  assert.deepEqual(
    c.blobs.map((x) => x.digest),
    a.blobs.map((x) => x.digest),
  );
});

test('refs name the revision: by commit, datasets/ and spaces/ prefixes', async () => {
  const fx = await makeHfCache(await tempDir());
  const old = await hfArtifact(await resolveHfRevision(fx.cache, `acme/tiny-embed@${fx.model.old.commit}`));
  assert.equal(old.ref, `huggingface.co/acme/tiny-embed:${fx.model.old.commit}`);
  const oldManifest = JSON.parse(Buffer.from(old.manifest).toString('utf8')) as Manifest;
  assert.equal(oldManifest.annotations['io.ferry.hf.ref'], undefined);
  assert.equal(old.facts.ref, undefined);
  assert.equal(old.facts.licensePresent, false);

  const dataset = await hfArtifact(await resolveHfRevision(fx.cache, 'datasets/acme/tiny-set'));
  assert.equal(dataset.ref, 'huggingface.co/datasets/acme/tiny-set:main');
  assert.equal(dataset.facts.hfType, 'dataset');
  const space = await hfArtifact(await resolveHfRevision(fx.cache, 'spaces/acme/demo'));
  assert.equal(space.ref, 'huggingface.co/spaces/acme/demo:main');
  const spaceManifest = JSON.parse(Buffer.from(space.manifest).toString('utf8')) as Manifest;
  assert.deepEqual(
    spaceManifest.layers.map((l) => [l.annotations!['org.cncf.model.filepath'], l.mediaType]),
    [
      ['README.md', 'application/vnd.cncf.model.doc.v1.raw'],
      ['app.py', 'application/vnd.cncf.model.weight.config.v1.raw'],
      ['requirements.txt', 'application/vnd.cncf.model.doc.v1.raw'],
    ],
  );
});

test('a small file that does not match its git-sha1 etag is refused when the bundle is planned', async () => {
  const fx = await makeHfCache(await tempDir());
  const revision = await resolveHfRevision(fx.cache, 'acme/tiny-embed');
  const config = revision.files.find((f) => f.path === 'config.json')!;
  const bytes = await fs.readFile(config.source);
  bytes[0] = bytes[0]! ^ 0xff;
  await fs.writeFile(config.source, bytes);
  await assert.rejects(hfArtifact(revision), (err: unknown) => {
    assert.ok(err instanceof FerryError);
    assert.equal(err.code, 'INTEGRITY');
    assert.match(err.message, /config\.json/);
    assert.match(err.message, new RegExp(config.etag));
    return true;
  });
});

test('an empty revision has nothing to carry', async () => {
  await assert.rejects(hfArtifact({ repoId: 'acme/empty', type: 'model', commit: 'a'.repeat(40), repoDir: '/nowhere', files: [] }), (err: unknown) => {
    assert.ok(err instanceof FerryError);
    assert.equal(err.code, 'INVALID_INPUT');
    assert.match(err.message, /acme\/empty/);
    return true;
  });
});

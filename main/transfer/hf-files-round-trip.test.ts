import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ferry, listFiles, missingTools, tempDir } from '../testing/cli.js';
import { makeHfCache, type HfFixtureCache } from '../testing/hf-fixture.js';
import { hfOfflineResolve } from '../testing/hf-resolver.js';
import { skopeoInspectRaw } from '../testing/oci-fixture.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every entry under `dir` (files, folders, links), relative, with what a link points at. */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (entry.isSymbolicLink()) out.push(`${rel} -> ${await fs.readlink(full)}`);
    else if (entry.isFile()) out.push(`${rel} ${sha256(await fs.readFile(full))}`);
    else out.push(`${rel}/`);
  }
  return out.sort();
}

describe('Hugging Face repos and plain files across the gap, straight from the volumes', () => {
  let work: string;
  let fixture: HfFixtureCache;
  let homeA: string;
  let homeB: string;
  let pubA: string;
  let bundle: string;
  let docs: string;

  before(async () => {
    work = await tempDir('hf-files');
    fixture = await makeHfCache(path.join(work, 'hf-source'));
    docs = path.join(work, 'runbooks');
    await fs.mkdir(path.join(docs, 'k8s', 'overlays'), { recursive: true });
    await fs.writeFile(path.join(docs, 'README.md'), '# Air-gap runbook\n');
    await fs.writeFile(path.join(docs, 'k8s', 'overlays', 'values.yaml'), 'replicas: 2\n');
    await fs.writeFile(path.join(docs, 'empty.txt'), '');
    await fs.writeFile(path.join(work, 'LICENSE-granite.txt'), 'Apache-2.0\n');
    homeA = path.join(work, 'home-a');
    homeB = path.join(work, 'home-b');
    pubA = path.join(work, 'a.pub.pem');
    bundle = path.join(work, 'usb', 'onyx');
    const exported = await ferry(homeA, [
      'export',
      '--out',
      bundle,
      '--volume-size',
      '1MiB',
      '--hf-cache',
      fixture.cache,
      '--hf',
      'acme/tiny-embed',
      '--hf',
      'acme/tiny-embed@refs/pr/1',
      '--hf',
      'datasets/acme/tiny-set',
      '--file',
      docs,
      '--file',
      path.join(work, 'LICENSE-granite.txt'),
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal((await ferry(homeA, ['keys', 'export-public', pubA])).code, 0);
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  test('the far side rebuilds the cache byte-exact and transformers-style offline lookups find every file', async () => {
    const cache = path.join(work, 'pvc', 'huggingface', 'hub');
    const restored = path.join(work, 'restored');
    const scratch = path.join(work, 'tmp');
    await fs.mkdir(scratch);
    const bundleBefore = await tree(bundle);
    const result = await ferry(homeB, ['import', bundle, '--trust', pubA, '--to-hf-cache', cache, '--to-dir', restored, '--json'], { TMPDIR: scratch });
    assert.equal(result.code, 0, result.stderr);
    const artifacts = (JSON.parse(result.stdout) as { result: { artifacts: { kind: string; target: string; status: string }[] } }).result.artifacts;
    assert.deepEqual(artifacts.map((a) => `${a.kind} ${a.target} ${a.status}`).sort(), [
      'files dir imported',
      'files dir imported',
      'hf-repo hf-cache imported',
      'hf-repo hf-cache imported',
      'hf-repo hf-cache imported',
    ]);

    for (const [revision, ref] of [
      [fixture.model.main, 'main'],
      [fixture.model.pr, 'refs/pr/1'],
    ] as const) {
      for (const file of revision.files) {
        const found = await hfOfflineResolve({ repoId: 'acme/tiny-embed', filename: file.path, revision: ref, cacheDir: cache });
        assert.ok(found, `${file.path}@${ref} resolves offline`);
        assert.equal(sha256(await fs.readFile(found)), file.sha256, `${file.path}@${ref} byte-exact`);
      }
    }
    const parquet = await hfOfflineResolve({ repoId: 'acme/tiny-set', repoType: 'dataset', filename: 'data/train-00000-of-00001.parquet', cacheDir: cache });
    assert.ok(parquet);
    assert.equal(
      await hfOfflineResolve({ repoId: 'acme/tiny-embed', filename: 'config.json', revision: fixture.model.old.commit, cacheDir: cache }),
      null,
      'a revision not carried is not there',
    );

    // Refs, blob names and relative links are the source's own (the old revision was not carried).
    const source = (await tree(fixture.model.dir)).filter(
      (e) => !e.includes(fixture.model.old.commit) && !e.includes('.incomplete') && !e.startsWith('.no_exist'),
    );
    const rebuilt = await tree(path.join(cache, 'models--acme--tiny-embed'));
    const oldOnly = new Set(
      fixture.model.old.files.map((f) => f.etag).filter((etag) => ![...fixture.model.main.files, ...fixture.model.pr.files].some((f) => f.etag === etag)),
    );
    assert.deepEqual(
      rebuilt,
      source.filter((e) => ![...oldOnly].some((etag) => e.startsWith(`blobs/${etag}`))),
    );

    assert.deepEqual(await tree(path.join(restored, 'runbooks')), await tree(docs));
    assert.equal(await fs.readFile(path.join(restored, 'LICENSE-granite.txt'), 'utf8'), 'Apache-2.0\n');

    // No joined tar, no extracted layout, no temp file anywhere: the bundle is as it was, scratch is empty.
    assert.deepEqual(await tree(bundle), bundleBefore);
    assert.deepEqual(await fs.readdir(scratch), []);
    const everything = await listFiles(work);
    assert.deepEqual(
      everything.filter((f) => /\.partial$|\.tmp$|ferry-[0-9a-f]{8}|(^|\/)(oci-layout|index\.json)$|\.tar$/.test(f)),
      [],
    );
  });

  test('importing again changes nothing; HF repos and files also push to a registry', async (t) => {
    const cache = path.join(work, 'pvc', 'huggingface', 'hub');
    const before = await tree(cache);
    const again = await ferry(homeB, ['import', bundle, '--trust', pubA, '--to-hf-cache', cache, '--to-dir', path.join(work, 'restored')]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await tree(cache), before);

    const skip = await missingTools(['docker-registry', 'skopeo']);
    if (skip) return t.skip(skip);
    let registry: TestRegistry | undefined;
    try {
      registry = await startRegistry();
      const pushed = await ferry(homeB, ['import', bundle, '--trust', pubA, '--to-registry', `${registry.host}/air`, '--plain-http', '--json']);
      assert.equal(pushed.code, 0, pushed.stderr);
      const index = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8')) as { artifacts: { kind: string; ref: string; digest: string }[] };
      const hf = index.artifacts.find((a) => a.ref === 'huggingface.co/acme/tiny-embed:main')!;
      assert.equal(`sha256:${sha256(await skopeoInspectRaw(`docker://${registry.host}/air/acme/tiny-embed:main`))}`, hf.digest);
      const files = index.artifacts.find((a) => a.kind === 'files' && a.ref.includes('runbooks'))!;
      assert.equal(`sha256:${sha256(await skopeoInspectRaw(`docker://${registry.host}/air/files/runbooks:latest`))}`, files.digest);
    } finally {
      await registry?.stop();
    }
  });
});

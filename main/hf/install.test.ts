import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import type { ArtifactInput } from '../bundle/plan.js';
import {
  fixtureCommit,
  makeHfCache,
  pseudoRandomBytes,
  writeHfRevision,
  type HfFixtureCache,
  type HfFixtureRepo,
  type HfFixtureRevision,
} from '../testing/hf-fixture.js';
import { hfOfflineResolve } from '../testing/hf-resolver.js';
import { FerryError } from '../util/errors.js';
import { hfArtifact } from './artifact.js';
import { resolveHfRevision } from './cache.js';
import { SourceStore } from '../content/source-store.js';
import { installHfRepo } from './install.js';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-hf-install-'));
  tempDirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The bundle's blobs as the importer hands them over: read from the export's sources. */
function blobsOf(artifact: ArtifactInput): SourceStore {
  return new SourceStore(artifact.blobs);
}

async function artifactOf(cache: string, spec: string): Promise<ArtifactInput> {
  return hfArtifact(await resolveHfRevision(cache, spec));
}

/** Every entry under `dir`: links by target, files by content hash, folders by name. */
async function treeOf(dir: string): Promise<Record<string, string>> {
  const tree: Record<string, string> = {};
  const walk = async (at: string, prefix: string) => {
    const entries = await fs.readdir(at, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const rel = prefix + e.name;
      const full = path.join(at, e.name);
      if (e.isSymbolicLink()) tree[rel] = `link ${await fs.readlink(full)}`;
      else if (e.isDirectory()) {
        tree[rel] = 'dir';
        await walk(full, `${rel}/`);
      } else tree[rel] = `file ${sha256Hex(await fs.readFile(full))}`;
    }
  };
  await walk(dir, '');
  return tree;
}

const withoutIncomplete = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([k]) => !k.endsWith('.incomplete')));

/** Checks with the huggingface_hub rules that every file of `rev` loads byte-exact from `cache`. */
async function assertLoads(cache: string, repo: HfFixtureRepo, rev: HfFixtureRevision, revision: string) {
  for (const file of rev.files) {
    const found = await hfOfflineResolve({ cacheDir: cache, repoId: repo.repoId, repoType: repo.type, filename: file.path, revision });
    assert.ok(found, `${repo.repoId}@${revision}: ${file.path} does not resolve`);
    assert.equal(sha256Hex(await fs.readFile(found)), file.sha256, `${repo.repoId}@${revision}: ${file.path} differs`);
  }
}

const SPECS = (fx: HfFixtureCache) => [
  'acme/tiny-embed',
  'acme/tiny-embed@refs/pr/1',
  `acme/tiny-embed@${fx.model.old.commit}`,
  'datasets/acme/tiny-set',
  'spaces/acme/demo',
];

test('round trip: every revision rebuilds a cache huggingface_hub loads, with the same blobs, links and refs', async () => {
  const fx = await makeHfCache(await tempDir());
  const target = path.join(await tempDir(), 'hub'); // does not exist yet
  let bytes = 0;
  const results = [];
  for (const spec of SPECS(fx)) {
    const artifact = await artifactOf(fx.cache, spec);
    results.push(await installHfRepo(target, { manifestBytes: Buffer.from(artifact.manifest), blobs: blobsOf(artifact), onBytes: (n) => (bytes += n) }));
  }
  assert.equal(results[0]!.repoDir, path.join(target, 'models--acme--tiny-embed'));
  assert.equal(results[0]!.commit, fx.model.main.commit);
  assert.equal(results[0]!.ref, 'main');
  assert.equal(results[1]!.ref, 'refs/pr/1');
  assert.ok(!('ref' in results[2]!), 'installed by commit: no ref');
  assert.equal(results[0]!.skipped.length, 0);
  // pr shares everything but config.json with main: only that blob is new.
  assert.equal(results[1]!.written.length, 1);
  assert.equal(results[1]!.skipped.length, fx.model.pr.files.length - 1);
  assert.ok(bytes > 3 * 1024 * 1024);

  await assertLoads(target, fx.model, fx.model.main, 'main');
  await assertLoads(target, fx.model, fx.model.pr, 'refs/pr/1');
  await assertLoads(target, fx.model, fx.model.old, fx.model.old.commit);
  await assertLoads(target, fx.dataset, fx.dataset.main, 'main');
  await assertLoads(target, fx.space, fx.space.main, 'main');

  // Byte for byte the layout huggingface_hub wrote: blob names, relative link targets (nested
  // ones one ../ deeper), refs including refs/refs/pr/1.
  for (const repo of [fx.model, fx.dataset, fx.space]) {
    const installed = path.join(target, path.basename(repo.dir));
    for (const sub of ['blobs', 'snapshots', 'refs']) {
      assert.deepEqual(
        withoutIncomplete(await treeOf(path.join(installed, sub))),
        withoutIncomplete(await treeOf(path.join(repo.dir, sub))),
        `${repo.repoId} ${sub}/`,
      );
    }
  }
  const nested = path.join(target, 'models--acme--tiny-embed', 'snapshots', fx.model.main.commit, '1_Pooling', 'config.json');
  const nestedEtag = fx.model.main.files.find((f) => f.path === '1_Pooling/config.json')!.etag;
  assert.equal(await fs.readlink(nested), `../../../blobs/${nestedEtag}`);
  assert.equal(await fs.readFile(path.join(target, 'models--acme--tiny-embed', 'refs', 'refs', 'pr', '1'), 'utf8'), fx.model.pr.commit);

  // Installing again writes nothing.
  const again = await artifactOf(fx.cache, 'acme/tiny-embed');
  const second = await installHfRepo(target, { manifestBytes: Buffer.from(again.manifest), blobs: blobsOf(again) });
  assert.deepEqual(second.written, []);
  assert.equal(second.skipped.length, new Set(fx.model.main.files.map((f) => f.etag)).size);
});

test('merging into a cache leaves other repos and other revisions untouched', async () => {
  const fx = await makeHfCache(await tempDir());
  const target = await tempDir();
  // The far side already holds another repo and an older revision of this one.
  await writeHfRevision(target, {
    type: 'model',
    repoId: 'other/thing',
    commit: fixtureCommit('thing'),
    refs: ['main'],
    files: [{ path: 'w.safetensors', bytes: pseudoRandomBytes('thing', 5000), lfs: true }],
  });
  const ownOld = await writeHfRevision(target, {
    type: 'model',
    repoId: 'acme/tiny-embed',
    commit: fixtureCommit('far side revision'),
    refs: ['v0'],
    files: [{ path: 'config.json', bytes: Buffer.from('{"far": true}'), lfs: false }],
  });
  const before = await treeOf(target);

  const artifact = await artifactOf(fx.cache, 'acme/tiny-embed');
  await installHfRepo(target, { manifestBytes: Buffer.from(artifact.manifest), blobs: blobsOf(artifact) });
  const after = await treeOf(target);
  for (const [entry, what] of Object.entries(before)) assert.equal(after[entry], what, `${entry} changed`);
  await assertLoads(target, fx.model, fx.model.main, 'main');
  const ownRepo = { ...fx.model, refs: { v0: ownOld.commit } };
  await assertLoads(target, ownRepo, ownOld, 'v0');
});

test("symlinks 'never' writes real files that still resolve, and reads back as the same artifact", async () => {
  const fx = await makeHfCache(await tempDir());
  const target = await tempDir();
  const artifact = await artifactOf(fx.cache, 'acme/tiny-embed');
  const result = await installHfRepo(target, { manifestBytes: Buffer.from(artifact.manifest), blobs: blobsOf(artifact), symlinks: 'never' });
  assert.equal(result.written.length, new Set(fx.model.main.files.map((f) => f.etag)).size);
  const snapshot = path.join(result.repoDir, 'snapshots', fx.model.main.commit);
  for (const file of fx.model.main.files) assert.ok((await fs.lstat(path.join(snapshot, ...file.path.split('/')))).isFile(), `${file.path} is a real file`);
  // As huggingface_hub does without symlinks, new blobs moved into the snapshot rather than copied,
  // except the one whose etag kind nothing else records (a small LFS file with an unusual name).
  const notes = fx.model.main.files.find((f) => f.path === 'extra/notes.dat')!;
  assert.deepEqual(await fs.readdir(path.join(result.repoDir, 'blobs')), [notes.etag]);
  await assertLoads(target, fx.model, fx.model.main, 'main');

  // Ferry reads that Windows-style cache back to the very same manifest.
  const back = await artifactOf(target, 'acme/tiny-embed');
  assert.deepEqual(Buffer.from(back.manifest), Buffer.from(artifact.manifest));

  // Idempotent: the files in place are verified, not rewritten.
  const again = await installHfRepo(target, { manifestBytes: Buffer.from(artifact.manifest), blobs: blobsOf(artifact), symlinks: 'never' });
  assert.deepEqual(again.written, []);

  // A second revision sharing blobs with the first gets its own copies.
  const pr = await artifactOf(fx.cache, 'acme/tiny-embed@refs/pr/1');
  await installHfRepo(target, { manifestBytes: Buffer.from(pr.manifest), blobs: blobsOf(pr), symlinks: 'never' });
  await assertLoads(target, fx.model, fx.model.pr, 'refs/pr/1');
  await assertLoads(target, fx.model, fx.model.main, 'main');

  // And the links come back when the same cache is installed into with symlinks.
  await installHfRepo(target, { manifestBytes: Buffer.from(artifact.manifest), blobs: blobsOf(artifact) });
  assert.ok((await fs.lstat(path.join(snapshot, 'model.safetensors'))).isSymbolicLink());
  await assertLoads(target, fx.model, fx.model.main, 'main');
});

test('a Windows-style source rebuilds the same symlinked cache huggingface_hub would have written', async () => {
  const win = await makeHfCache(await tempDir(), { style: 'copies' });
  const linked = await makeHfCache(await tempDir());
  const target = await tempDir();
  const artifact = await artifactOf(win.cache, 'acme/tiny-embed');
  await installHfRepo(target, { manifestBytes: Buffer.from(artifact.manifest), blobs: blobsOf(artifact) });
  const installed = path.join(target, 'models--acme--tiny-embed');
  const expected = await treeOf(path.join(linked.model.dir, 'snapshots', linked.model.main.commit));
  assert.deepEqual(await treeOf(path.join(installed, 'snapshots', win.model.main.commit)), expected);
});

test('a snapshot entry pointing elsewhere is replaced; its neighbours are not', async () => {
  const fx = await makeHfCache(await tempDir());
  const target = await tempDir();
  const snapshot = path.join(target, 'models--acme--tiny-embed', 'snapshots', fx.model.main.commit);
  await fs.mkdir(snapshot, { recursive: true });
  await fs.symlink(`../../blobs/${'0'.repeat(40)}`, path.join(snapshot, 'config.json'));
  await fs.writeFile(path.join(snapshot, 'local-notes.txt'), 'mine');
  const artifact = await artifactOf(fx.cache, 'acme/tiny-embed');
  await installHfRepo(target, { manifestBytes: Buffer.from(artifact.manifest), blobs: blobsOf(artifact) });
  const etag = fx.model.main.files.find((f) => f.path === 'config.json')!.etag;
  assert.equal(await fs.readlink(path.join(snapshot, 'config.json')), `../../blobs/${etag}`);
  assert.equal(await fs.readFile(path.join(snapshot, 'local-notes.txt'), 'utf8'), 'mine');
  assert.deepEqual(
    (await fs.readdir(snapshot)).filter((n) => n.endsWith('.incomplete')),
    [],
  );
});

test('a blob already on the far side is trusted only when its bytes hash right', async () => {
  const fx = await makeHfCache(await tempDir());
  const target = await tempDir();
  const weights = fx.model.main.files.find((f) => f.path === 'model.safetensors')!;
  const config = fx.model.main.files.find((f) => f.path === 'config.json')!;
  const blobs = path.join(target, 'models--acme--tiny-embed', 'blobs');
  await fs.mkdir(blobs, { recursive: true });
  // Right names, right sizes, wrong bytes: a damaged earlier copy.
  await fs.writeFile(path.join(blobs, weights.etag), pseudoRandomBytes('damaged', weights.size));
  await fs.writeFile(path.join(blobs, config.etag), Buffer.alloc(config.size, 0x20));
  const artifact = await artifactOf(fx.cache, 'acme/tiny-embed');
  const result = await installHfRepo(target, { manifestBytes: Buffer.from(artifact.manifest), blobs: blobsOf(artifact) });
  assert.ok(result.written.includes(`sha256:${weights.sha256}`));
  assert.ok(result.written.includes(`sha256:${config.sha256}`));
  assert.equal(result.skipped.length, 0);
  await assertLoads(target, fx.model, fx.model.main, 'main');
});

interface Manifest {
  layers: { digest: string; size: number; annotations: Record<string, string> }[];
  annotations: Record<string, string>;
}

async function assertNothingCommitted(target: string, commit: string) {
  const repoDir = path.join(target, 'models--acme--tiny-embed');
  await assert.rejects(fs.stat(path.join(repoDir, 'refs')), { code: 'ENOENT' });
  await assert.rejects(fs.stat(path.join(repoDir, 'snapshots', commit)), { code: 'ENOENT' });
  const blobs = await fs.readdir(path.join(repoDir, 'blobs')).catch(() => [] as string[]);
  assert.deepEqual(
    blobs.filter((n) => n.endsWith('.incomplete')),
    [],
    'no temp file left behind',
  );
}

test('hostile manifests are refused before anything is committed', async () => {
  const fx = await makeHfCache(await tempDir());
  const artifact = await artifactOf(fx.cache, 'acme/tiny-embed');
  const original = JSON.parse(Buffer.from(artifact.manifest).toString('utf8')) as Manifest;
  const layerOf = (m: Manifest, p: string) => m.layers.find((l) => l.annotations['org.cncf.model.filepath'] === p)!;

  const cases: [string, (m: Manifest) => void, string][] = [
    ['parent path', (m) => (layerOf(m, 'config.json').annotations['org.cncf.model.filepath'] = '../x'), '"../x"'],
    ['absolute path', (m) => (layerOf(m, 'config.json').annotations['org.cncf.model.filepath'] = '/abs'), '"/abs"'],
    ['climbing path', (m) => (layerOf(m, '1_Pooling/config.json').annotations['org.cncf.model.filepath'] = 'a/../../b'), '"a/../../b"'],
    ['backslash path', (m) => (layerOf(m, 'config.json').annotations['org.cncf.model.filepath'] = 'a\\b'), 'a\\\\b'],
    ['empty segment', (m) => (layerOf(m, 'config.json').annotations['org.cncf.model.filepath'] = 'a//b'), '"a//b"'],
    ['dot segment', (m) => (layerOf(m, 'config.json').annotations['org.cncf.model.filepath'] = './config.json'), '"./config.json"'],
    ['NUL', (m) => (layerOf(m, 'config.json').annotations['org.cncf.model.filepath'] = 'a\0b'), 'NUL'],
    ['drive', (m) => (layerOf(m, 'config.json').annotations['org.cncf.model.filepath'] = 'C:/x'), 'drive'],
    ['duplicate path', (m) => (layerOf(m, 'vocab.txt').annotations['org.cncf.model.filepath'] = 'config.json'), 'twice'],
    ['file and folder', (m) => (layerOf(m, 'vocab.txt').annotations['org.cncf.model.filepath'] = '1_Pooling'), '1_Pooling'],
    [
      'uppercase etag',
      (m) => (layerOf(m, 'config.json').annotations['io.ferry.hf.etag'] = layerOf(m, 'config.json').annotations['io.ferry.hf.etag']!.toUpperCase()),
      'config.json',
    ],
    ['no etag', (m) => delete layerOf(m, 'config.json').annotations['io.ferry.hf.etag'], 'config.json'],
    ['LFS etag is not the digest', (m) => (layerOf(m, 'model.safetensors').annotations['io.ferry.hf.etag'] = 'a'.repeat(64)), 'model.safetensors'],
    ['no repo', (m) => delete m.annotations['io.ferry.hf.repo'], 'io.ferry.hf.repo'],
    ['repo with ..', (m) => (m.annotations['io.ferry.hf.repo'] = 'acme/../x'), 'io.ferry.hf.repo'],
    ['repo with --', (m) => (m.annotations['io.ferry.hf.repo'] = 'acme/x--y'), 'io.ferry.hf.repo'],
    ['repo with 3 parts', (m) => (m.annotations['io.ferry.hf.repo'] = 'a/b/c'), 'io.ferry.hf.repo'],
    ['bad type', (m) => (m.annotations['io.ferry.hf.type'] = 'kernel'), 'kernel'],
    ['bad commit', (m) => (m.annotations['io.ferry.hf.revision'] = '../../x'), 'io.ferry.hf.revision'],
    ['climbing ref', (m) => (m.annotations['io.ferry.hf.ref'] = '../../../evil'), '../../../evil'],
    ['hidden ref', (m) => (m.annotations['io.ferry.hf.ref'] = 'refs/.hidden'), 'refs/.hidden'],
  ];
  for (const [name, mutate, mention] of cases) {
    const target = await tempDir();
    const manifest = structuredClone(original);
    mutate(manifest);
    await assert.rejects(installHfRepo(target, { manifestBytes: Buffer.from(JSON.stringify(manifest)), blobs: blobsOf(artifact) }), (err: unknown) => {
      assert.ok(err instanceof FerryError, `${name}: expected FerryError, got ${String(err)}`);
      assert.equal(err.code, 'INTEGRITY', `${name}: ${err.message}`);
      assert.ok(err.message.includes(mention), `${name}: "${err.message}" should mention ${mention}`);
      return true;
    });
    assert.deepEqual(await fs.readdir(target), [], `${name}: nothing written`);
  }
});

test('bytes that do not match their etag or digest are refused with nothing committed', async () => {
  const fx = await makeHfCache(await tempDir());
  const artifact = await artifactOf(fx.cache, 'acme/tiny-embed');
  const manifest = JSON.parse(Buffer.from(artifact.manifest).toString('utf8')) as Manifest;
  const commit = fx.model.main.commit;

  // A git-sha1 etag that names other bytes: the digest is right, only the etag check catches it.
  const wrongEtag = structuredClone(manifest);
  const config = wrongEtag.layers.find((l) => l.annotations['org.cncf.model.filepath'] === 'config.json')!;
  config.annotations['io.ferry.hf.etag'] = fx.model.pr.files.find((f) => f.path === 'config.json')!.etag;
  const target = await tempDir();
  await assert.rejects(installHfRepo(target, { manifestBytes: Buffer.from(JSON.stringify(wrongEtag)), blobs: blobsOf(artifact) }), (err: unknown) => {
    assert.ok(err instanceof FerryError);
    assert.equal(err.code, 'INTEGRITY', err.message);
    assert.match(err.message, /config\.json/);
    assert.match(err.message, /etag/);
    return true;
  });
  await assertNothingCommitted(target, commit);

  // Bytes that are not what the digest says (a damaged volume).
  const weights = manifest.layers.find((l) => l.annotations['org.cncf.model.filepath'] === 'model.safetensors')!;
  const damaged = new SourceStore(
    artifact.blobs.map((b) =>
      b.digest === weights.digest ? { ...b, source: { kind: 'bytes' as const, bytes: pseudoRandomBytes('not the weights', b.size) } } : b,
    ),
  );
  const target2 = await tempDir();
  await assert.rejects(installHfRepo(target2, { manifestBytes: Buffer.from(artifact.manifest), blobs: damaged }), (err: unknown) => {
    assert.ok(err instanceof FerryError);
    assert.equal(err.code, 'INTEGRITY');
    assert.match(err.message, /model\.safetensors/);
    return true;
  });
  await assertNothingCommitted(target2, commit);
  await assert.rejects(fs.stat(path.join(target2, 'models--acme--tiny-embed', 'blobs', weights.annotations['io.ferry.hf.etag']!)), { code: 'ENOENT' });

  // A blob the manifest names but the bundle does not carry.
  const target3 = await tempDir();
  const missing = new SourceStore(artifact.blobs.filter((b) => b.digest !== weights.digest));
  await assert.rejects(installHfRepo(target3, { manifestBytes: Buffer.from(artifact.manifest), blobs: missing }), (err: unknown) => {
    assert.ok(err instanceof FerryError);
    assert.equal(err.code, 'INVALID_INPUT');
    assert.match(err.message, /model\.safetensors/);
    return true;
  });
  assert.deepEqual(await fs.readdir(target3), []);
});

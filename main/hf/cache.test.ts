import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fixtureCommit, makeHfCache, pseudoRandomBytes, writeHfRevision, type HfFixtureRevision } from '../testing/hf-fixture.js';
import { FerryError } from '../util/errors.js';
import { defaultHfCache, listHfRepos, resolveHfRevision, type HfRevision } from './cache.js';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-hf-cache-'));
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

function sameFiles(resolved: HfRevision, expected: HfFixtureRevision) {
  assert.equal(resolved.commit, expected.commit);
  assert.deepEqual(
    resolved.files.map((f) => ({ path: f.path, size: f.size, etag: f.etag })),
    expected.files.map((f) => ({ path: f.path, size: f.size, etag: f.etag })),
  );
}

test('defaultHfCache follows huggingface_hub: HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, XDG_CACHE_HOME, ~/.cache', () => {
  const home = os.homedir();
  assert.equal(defaultHfCache({ HF_HUB_CACHE: '/a', HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c' }), path.resolve('/a'));
  assert.equal(defaultHfCache({ HUGGINGFACE_HUB_CACHE: '/b', HF_HOME: '/c' }), path.resolve('/b'));
  assert.equal(defaultHfCache({ HF_HOME: '/c', XDG_CACHE_HOME: '/x' }), path.resolve('/c/hub'));
  assert.equal(defaultHfCache({ XDG_CACHE_HOME: '/x' }), path.resolve('/x/huggingface/hub'));
  assert.equal(defaultHfCache({}), path.join(home, '.cache', 'huggingface', 'hub'));
  assert.equal(defaultHfCache({ HF_HOME: '~/hf' }), path.join(home, 'hf', 'hub'));
  assert.equal(defaultHfCache({ HF_HOME: '$DATA/hf', DATA: '/data' }), path.resolve('/data/hf/hub'));
  assert.equal(defaultHfCache({ HF_HUB_CACHE: '', HF_HOME: '/c' }), path.resolve('/c/hub'));
});

test('listHfRepos lists every repo with its refs, pr refs, revisions and files, skipping what is not content', async () => {
  const fx = await makeHfCache(await tempDir());
  await fs.mkdir(path.join(fx.cache, 'not-a-repo'));
  await fs.writeFile(path.join(fx.cache, 'version.txt'), '1');
  const repos = await listHfRepos(fx.cache);
  assert.deepEqual(
    repos.map((r) => [r.type, r.repoId]),
    [
      ['dataset', 'acme/tiny-set'],
      ['model', 'acme/tiny-embed'],
      ['space', 'acme/demo'],
    ],
  );
  const model = repos[1]!;
  assert.equal(model.problem, undefined);
  assert.equal(model.dir, fx.model.dir);
  assert.deepEqual(model.refs, { main: fx.model.main.commit, 'refs/pr/1': fx.model.pr.commit });
  const byCommit = new Map(model.revisions.map((r) => [r.commit, r]));
  assert.equal(model.revisions.length, 3);
  assert.deepEqual(byCommit.get(fx.model.main.commit)!.refs, ['main']);
  assert.deepEqual(byCommit.get(fx.model.pr.commit)!.refs, ['refs/pr/1']);
  assert.deepEqual(byCommit.get(fx.model.old.commit)!.refs, []);
  for (const rev of [fx.model.main, fx.model.pr, fx.model.old]) {
    const listed = byCommit.get(rev.commit)!;
    assert.deepEqual(
      listed.files,
      rev.files.map((f) => ({ path: f.path, size: f.size, etag: f.etag })),
    );
    assert.equal(
      listed.size,
      rev.files.reduce((sum, f) => sum + f.size, 0),
    );
    assert.ok(!listed.files.some((f) => f.path.endsWith('.incomplete') || f.path.includes('.no_exist') || f.path.includes('.locks')));
  }
  assert.ok(byCommit.get(fx.model.main.commit)!.files.some((f) => f.path === '1_Pooling/config.json'));
  assert.deepEqual(repos[0]!.refs, { main: fx.dataset.main.commit });
});

test('a broken repo folder is reported on its own and does not fail the listing', async () => {
  const fx = await makeHfCache(await tempDir());
  // No snapshots/ at all, as a download that died before its first file leaves it.
  await fs.mkdir(path.join(fx.cache, 'models--acme--broken', 'blobs'), { recursive: true });
  // A revision whose link points at a blob that is gone.
  const gone = await writeHfRevision(fx.cache, {
    type: 'model',
    repoId: 'acme/gone',
    commit: fixtureCommit('gone'),
    refs: ['main'],
    files: [{ path: 'w.bin', bytes: pseudoRandomBytes('w', 100), lfs: true }],
  });
  await fs.rm(path.join(fx.cache, 'models--acme--gone', 'blobs', gone.files[0]!.etag));

  const repos = await listHfRepos(fx.cache);
  const broken = repos.find((r) => r.repoId === 'acme/broken')!;
  assert.equal(broken.problem?.code, 'INVALID_INPUT');
  assert.match(broken.problem!.message, /no snapshots/);
  const goneRepo = repos.find((r) => r.repoId === 'acme/gone')!;
  assert.equal(goneRepo.problem, undefined);
  assert.equal(goneRepo.revisions[0]!.problem?.code, 'INVALID_INPUT');
  assert.match(goneRepo.revisions[0]!.problem!.message, /w\.bin/);
  assert.equal(repos.find((r) => r.repoId === 'acme/tiny-embed')!.revisions.length, 3);
  await rejectsWith(resolveHfRevision(fx.cache, 'acme/gone'), 'INVALID_INPUT', 'w.bin', 'missing');
});

test('resolveHfRevision: default main, pr refs, commits, datasets and spaces', async () => {
  const fx = await makeHfCache(await tempDir());
  const main = await resolveHfRevision(fx.cache, 'acme/tiny-embed');
  sameFiles(main, fx.model.main);
  assert.equal(main.ref, 'main');
  assert.equal(main.type, 'model');
  assert.equal(main.repoDir, fx.model.dir);
  const weights = main.files.find((f) => f.path === 'model.safetensors')!;
  assert.equal(weights.source, path.join(fx.model.dir, 'blobs', weights.etag));
  const nested = main.files.find((f) => f.path === '1_Pooling/config.json')!;
  assert.equal(await fs.readFile(nested.source, 'utf8'), '{"word_embedding_dimension": 64, "pooling_mode_mean_tokens": true}\n');

  const pr = await resolveHfRevision(fx.cache, 'acme/tiny-embed@refs/pr/1');
  sameFiles(pr, fx.model.pr);
  assert.equal(pr.ref, 'refs/pr/1');

  const old = await resolveHfRevision(fx.cache, `acme/tiny-embed@${fx.model.old.commit}`);
  sameFiles(old, fx.model.old);
  assert.equal(old.ref, undefined);
  assert.ok(!('ref' in old));

  const byCommit = await resolveHfRevision(fx.cache, `acme/tiny-embed@${fx.model.main.commit}`);
  assert.equal(byCommit.ref, undefined);

  const dataset = await resolveHfRevision(fx.cache, 'datasets/acme/tiny-set@main');
  assert.equal(dataset.type, 'dataset');
  sameFiles(dataset, fx.dataset.main);
  sameFiles(await resolveHfRevision(fx.cache, 'spaces/acme/demo'), fx.space.main);
  // The hub's ids are case-insensitive; the folder keeps the case it was downloaded with.
  assert.equal((await resolveHfRevision(fx.cache, 'ACME/Tiny-Embed')).repoId, 'acme/tiny-embed');
});

test('resolveHfRevision says what the cache holds when something is missing', async () => {
  const fx = await makeHfCache(await tempDir());
  await rejectsWith(resolveHfRevision(fx.cache, 'acme/nope'), 'NOT_FOUND', 'acme/nope', 'acme/tiny-embed', 'datasets/acme/tiny-set', 'spaces/acme/demo');
  await rejectsWith(resolveHfRevision(fx.cache, 'acme/tiny-set'), 'NOT_FOUND', 'datasets/acme/tiny-set');
  await rejectsWith(resolveHfRevision(fx.cache, 'acme/tiny-embed@v2'), 'NOT_FOUND', '"v2"', 'main', 'refs/pr/1', fx.model.old.commit);
  await rejectsWith(resolveHfRevision(fx.cache, `acme/tiny-embed@${'e'.repeat(40)}`), 'NOT_FOUND', 'e'.repeat(40), fx.model.main.commit);
  // A ref written before its download finished: it points at a commit with no snapshot.
  await fs.writeFile(path.join(fx.model.dir, 'refs', 'v1'), 'f'.repeat(40));
  await rejectsWith(resolveHfRevision(fx.cache, 'acme/tiny-embed@v1'), 'NOT_FOUND', 'Ref v1', 'f'.repeat(40));
  await rejectsWith(resolveHfRevision(fx.cache, 'acme/tiny-embed@../../x'), 'USAGE');
  await rejectsWith(resolveHfRevision(fx.cache, 'not a repo'), 'USAGE');
  await rejectsWith(resolveHfRevision(fx.cache, 'a/b/c'), 'USAGE');
  await rejectsWith(resolveHfRevision(path.join(fx.cache, 'nowhere'), 'acme/tiny-embed'), 'NOT_FOUND', 'HF_HUB_CACHE');
  await rejectsWith(listHfRepos(path.join(fx.cache, 'nowhere')), 'NOT_FOUND');
});

test('a Windows-style cache (real files in snapshots/, blobs/ mostly empty) resolves with computed etags', async () => {
  const fx = await makeHfCache(await tempDir(), { style: 'copies' });
  const main = await resolveHfRevision(fx.cache, 'acme/tiny-embed');
  sameFiles(main, fx.model.main);
  for (const f of main.files) assert.equal(f.source, path.join(fx.model.dir, 'snapshots', fx.model.main.commit, ...f.path.split('/')));
  // notes.dat is LFS although neither its size nor its name says so: its blob in blobs/ decides.
  assert.equal(main.files.find((f) => f.path === 'extra/notes.dat')!.etag.length, 64);
  sameFiles(await resolveHfRevision(fx.cache, 'acme/tiny-embed@refs/pr/1'), fx.model.pr);
  sameFiles(await resolveHfRevision(fx.cache, 'datasets/acme/tiny-set'), fx.dataset.main);

  const listed = (await listHfRepos(fx.cache)).find((r) => r.repoId === 'acme/tiny-embed')!;
  const rev = listed.revisions.find((r) => r.commit === fx.model.main.commit)!;
  assert.deepEqual(rev.refs, ['main']);
  assert.ok(
    rev.files.every((f) => f.etag === null),
    'listing does not hash real files',
  );
  assert.deepEqual(
    rev.files.map((f) => f.path),
    fx.model.main.files.map((f) => f.path),
  );
});

test('a snapshot link that leaves the repo blobs/ folder is refused, naming the file', async () => {
  const fx = await makeHfCache(await tempDir());
  const outside = path.join(fx.cache, 'secret.txt');
  await fs.writeFile(outside, 'not yours');
  const link = path.join(fx.model.dir, 'snapshots', fx.model.main.commit, 'config.json');
  await fs.rm(link);
  await fs.symlink('../../../secret.txt', link);
  await rejectsWith(resolveHfRevision(fx.cache, 'acme/tiny-embed'), 'INVALID_INPUT', 'config.json', 'outside');

  // Into another repo's blobs/ is outside too, even though the bytes are a real blob.
  const other = fx.dataset.main.files[0]!;
  await fs.rm(link);
  await fs.symlink(path.join('..', '..', '..', 'datasets--acme--tiny-set', 'blobs', other.etag), link);
  await rejectsWith(resolveHfRevision(fx.cache, 'acme/tiny-embed'), 'INVALID_INPUT', 'config.json', 'outside');

  // An absolute link into the repo's own blobs/ is fine.
  const mine = fx.model.main.files.find((f) => f.path === 'config.json')!;
  await fs.rm(link);
  await fs.symlink(path.join(fx.model.dir, 'blobs', mine.etag), link);
  sameFiles(await resolveHfRevision(fx.cache, 'acme/tiny-embed'), fx.model.main);

  // A nested link climbing out through its subfolder.
  const nested = path.join(fx.model.dir, 'snapshots', fx.model.main.commit, '1_Pooling', 'config.json');
  await fs.rm(nested);
  await fs.symlink('../../../../secret.txt', nested);
  await rejectsWith(resolveHfRevision(fx.cache, 'acme/tiny-embed'), 'INVALID_INPUT', '1_Pooling/config.json');
  const listed = (await listHfRepos(fx.cache)).find((r) => r.repoId === 'acme/tiny-embed')!;
  assert.match(listed.revisions.find((r) => r.commit === fx.model.main.commit)!.problem!.message, /1_Pooling\/config\.json/);
});

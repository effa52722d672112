import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { planBundle } from '../bundle/plan.js';
import { parseReference } from '../registry/reference.js';
import { filesArtifact } from './artifact.js';
import { restoreFiles } from './restore.js';
import { blobsOf, entriesUnder, hashTree, rejectsWith, sha256, tempDir } from './fixture.js';
import { EMPTY_CONFIG, nameComponent } from './titles.js';

const OCI_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** A folder with nested subfolders, an empty file, a binary file and awkward names; plus a lone file. */
async function makeSources() {
  const base = await tempDir();
  const folder = path.join(base, 'My Data');
  const files: Record<string, Buffer> = {
    'readme.txt': Buffer.from('hello\n'),
    'empty.txt': Buffer.alloc(0),
    'sub/deeper/model.bin': randomBytes(3 * 1024 * 1024 + 7),
    'sub/notes.md': Buffer.from('# notes\n'),
    'name with spaces.txt': Buffer.from('spaces'),
    'café/ünï.txt': Buffer.from('unicode'),
    'a-b.txt': Buffer.from('sorts before a/'),
    'a/z.txt': Buffer.from('inside a'),
  };
  for (const [rel, bytes] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(folder, rel)), { recursive: true });
    await fs.writeFile(path.join(folder, rel), bytes);
  }
  await fs.mkdir(path.join(folder, 'empty-folder'));
  const single = path.join(base, 'weights.gguf');
  const singleBytes = randomBytes(100 * 1024);
  await fs.writeFile(single, singleBytes);
  const expected = new Map<string, string>([
    ...Object.entries(files).map(([rel, b]) => [`My Data/${rel}`, sha256(b)] as const),
    ['weights.gguf', sha256(singleBytes)],
  ]);
  return { base, folder, single, expected };
}

test('a folder and a single file survive export and restore byte for byte', async () => {
  const { folder, single, expected } = await makeSources();
  const dir = await filesArtifact(folder);
  const one = await filesArtifact(single);

  assert.equal(dir.kind, 'files');
  assert.equal(dir.ref, 'ferry.local/files/my-data:latest');
  assert.equal(one.ref, 'ferry.local/files/weights.gguf:latest');
  assert.equal(parseReference(dir.ref).repository, 'files/my-data');
  assert.equal(dir.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.deepEqual(dir.facts, { files: 8, title: 'my-data' });
  assert.deepEqual(one.facts, { files: 1, title: 'weights.gguf' });

  const manifest = JSON.parse(Buffer.from(dir.manifest).toString('utf8'));
  assert.deepEqual(Object.keys(manifest), ['schemaVersion', 'mediaType', 'artifactType', 'config', 'layers']);
  assert.equal(manifest.artifactType, 'application/vnd.unknown.artifact.v1');
  assert.deepEqual(manifest.config, {
    mediaType: 'application/vnd.oci.empty.v1+json',
    digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    size: 2,
    data: 'e30=',
  });
  assert.equal(sha256(Buffer.from('{}')), EMPTY_CONFIG.digest);
  const titles = manifest.layers.map((l: { annotations: Record<string, string> }) => l.annotations['org.opencontainers.image.title']);
  assert.deepEqual(titles, [...expected.keys()].filter((t) => t.startsWith('My Data/')).sort());
  for (const layer of manifest.layers) {
    assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar');
    assert.equal(layer.digest, expected.get(layer.annotations['org.opencontainers.image.title']));
  }
  assert.ok(dir.blobs.some((b) => b.digest === EMPTY_CONFIG.digest && b.source.kind === 'bytes'));
  assert.ok(dir.blobs.filter((b) => b.digest !== EMPTY_CONFIG.digest).every((b) => b.source.kind === 'file'));
  const plan = planBundle([dir, one]);
  assert.deepEqual(
    plan.artifacts.map((a) => a.kind),
    ['files', 'files'],
  );

  const out = path.join(await tempDir(), 'restored'); // does not exist yet
  let bytes = 0;
  const first = await restoreFiles(out, { manifestBytes: dir.manifest, blobs: blobsOf(dir), onBytes: (n) => (bytes += n) });
  const second = await restoreFiles(out, { manifestBytes: one.manifest, blobs: blobsOf(one) });
  assert.deepEqual(first.written, titles);
  assert.deepEqual(first.skipped, []);
  assert.deepEqual(second.written, ['weights.gguf']);
  assert.equal(
    bytes,
    [...Object.values(dir.blobs)].filter((b) => b.digest !== EMPTY_CONFIG.digest).reduce((s, b) => s + b.size, 0),
  );

  assert.deepEqual(await hashTree(out), new Map([...expected].sort(([a], [b]) => (a < b ? -1 : 1))));
  // Only the files and their folders: no temp files, and empty folders are not carried.
  const entries = await entriesUnder(out);
  assert.deepEqual(
    entries.filter((e) => !expected.has(e)),
    ['My Data', 'My Data/a', 'My Data/café', 'My Data/sub', 'My Data/sub/deeper'],
  );
});

test('the same content gives the same manifest bytes, wherever it lies and whatever its timestamps', async () => {
  const { folder } = await makeSources();
  const copy = path.join(await tempDir(), 'My Data');
  await fs.cp(folder, copy, { recursive: true });
  await fs.utimes(path.join(copy, 'readme.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
  await fs.chmod(path.join(copy, 'sub', 'notes.md'), 0o600);
  const a = await filesArtifact(folder);
  const b = await filesArtifact(folder);
  const c = await filesArtifact(copy);
  assert.deepEqual(Buffer.from(a.manifest), Buffer.from(b.manifest));
  assert.deepEqual(Buffer.from(a.manifest), Buffer.from(c.manifest));
});

test('a second restore writes nothing; a partly present folder gets only what is missing', async () => {
  const { folder } = await makeSources();
  const artifact = await filesArtifact(folder);
  const out = await tempDir();
  const first = await restoreFiles(out, { manifestBytes: artifact.manifest, blobs: blobsOf(artifact) });
  const before = await fs.stat(path.join(out, 'My Data', 'sub', 'deeper', 'model.bin'));
  const again = await restoreFiles(out, { manifestBytes: artifact.manifest, blobs: blobsOf(artifact) });
  assert.deepEqual(again.written, []);
  assert.deepEqual(again.skipped, first.written);
  const after = await fs.stat(path.join(out, 'My Data', 'sub', 'deeper', 'model.bin'));
  assert.equal(after.ino, before.ino);
  assert.equal(after.mtimeMs, before.mtimeMs);

  await fs.rm(path.join(out, 'My Data', 'sub'), { recursive: true });
  const partial = await restoreFiles(out, { manifestBytes: artifact.manifest, blobs: blobsOf(artifact) });
  assert.deepEqual(partial.written, ['My Data/sub/deeper/model.bin', 'My Data/sub/notes.md']);
  assert.equal(partial.skipped.length, 6);
});

test('a file already there with other content refuses the restore before anything is written', async () => {
  const { folder } = await makeSources();
  const artifact = await filesArtifact(folder);
  const out = await tempDir();
  const taken = path.join(out, 'My Data', 'sub', 'notes.md');
  await fs.mkdir(path.dirname(taken), { recursive: true });
  await fs.writeFile(taken, 'mine, not yours');
  const err = await rejectsWith(
    restoreFiles(out, { manifestBytes: artifact.manifest, blobs: blobsOf(artifact) }),
    'USAGE',
    taken,
    'other content',
    'empty folder',
  );
  assert.deepEqual(err.details.files, [taken]);
  assert.deepEqual(await entriesUnder(out), ['My Data', 'My Data/sub', 'My Data/sub/notes.md']);
  assert.equal(await fs.readFile(taken, 'utf8'), 'mine, not yours');

  // A file where the bundle needs a folder, and a folder where it needs a file.
  const out2 = await tempDir();
  await fs.mkdir(path.join(out2, 'My Data', 'readme.txt'), { recursive: true });
  await fs.writeFile(path.join(out2, 'My Data', 'sub'), 'a file');
  await rejectsWith(restoreFiles(out2, { manifestBytes: artifact.manifest, blobs: blobsOf(artifact) }), 'USAGE', 'is a folder', 'where a folder is needed');
  assert.deepEqual(await entriesUnder(out2), ['My Data', 'My Data/readme.txt', 'My Data/sub']);
});

test('a symbolic link inside the folder is refused at export, by its path', async () => {
  const base = await tempDir();
  const folder = path.join(base, 'docs');
  await fs.mkdir(path.join(folder, 'inner'), { recursive: true });
  await fs.writeFile(path.join(folder, 'a.txt'), 'a');
  await fs.symlink('../a.txt', path.join(folder, 'inner', 'link.txt'));
  await rejectsWith(filesArtifact(folder), 'INVALID_INPUT', path.join(folder, 'inner', 'link.txt'), 'symbolic link', 'Copy the real file');
});

test('a socket inside the folder is refused at export, by its path', async () => {
  const folder = path.join(await tempDir(), 'run');
  await fs.mkdir(folder);
  const socket = path.join(folder, 'app.sock');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  try {
    await rejectsWith(filesArtifact(folder), 'INVALID_INPUT', socket, 'a socket');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('PATH itself may be a link: it is followed and keeps its own name', async () => {
  const base = await tempDir();
  await fs.writeFile(path.join(base, 'v3.gguf'), 'weights');
  await fs.symlink('v3.gguf', path.join(base, 'current.gguf'));
  const artifact = await filesArtifact(path.join(base, 'current.gguf'));
  assert.equal(artifact.ref, 'ferry.local/files/current.gguf:latest');
  const out = await tempDir();
  await restoreFiles(out, { manifestBytes: artifact.manifest, blobs: blobsOf(artifact) });
  assert.equal(await fs.readFile(path.join(out, 'current.gguf'), 'utf8'), 'weights');
});

test('missing paths, empty folders, unusable names and unsafe file names are refused at export', async () => {
  const base = await tempDir();
  await rejectsWith(filesArtifact(path.join(base, 'nope')), 'NOT_FOUND', 'nope');
  await fs.mkdir(path.join(base, 'hollow', 'inside'), { recursive: true });
  await rejectsWith(filesArtifact(path.join(base, 'hollow')), 'USAGE', 'holds no files');

  await fs.mkdir(path.join(base, '___'));
  await fs.writeFile(path.join(base, '___', 'x'), 'x');
  await rejectsWith(filesArtifact(path.join(base, '___')), 'USAGE', '"___"', 'name');
  const named = await filesArtifact(path.join(base, '___'), { name: 'Run Books' });
  assert.equal(named.ref, 'ferry.local/files/run-books:latest');
  // The name changes the ref only; titles keep the folder's real name.
  assert.match(Buffer.from(named.manifest).toString(), /"org\.opencontainers\.image\.title":"___\/x"/);

  await fs.mkdir(path.join(base, 'win'));
  await fs.writeFile(path.join(base, 'win', 'a\\b.txt'), 'x');
  await rejectsWith(filesArtifact(path.join(base, 'win')), 'INVALID_INPUT', 'a\\b.txt', 'backslash');
});

test('names reduce to one OCI repository path component', () => {
  const cases: [string, string][] = [
    ['My Model (v2).tar.gz', 'my-model-v2-tar.gz'],
    ['.bashrc', 'bashrc'],
    ['Llama_3__8B---Q4', 'llama_3__8b---q4'],
    ['a___b', 'a-b'],
    ['a._-b', 'a-b'],
    ['模型 weights', 'weights'],
    ['x'.repeat(200), 'x'.repeat(128)],
    [`${'x'.repeat(127)}.y`, 'x'.repeat(127)],
  ];
  for (const [raw, want] of cases) {
    assert.equal(nameComponent(raw), want, raw);
    assert.match(want, OCI_COMPONENT);
  }
  for (const empty of ['', '___', '...', '模型', '-']) assert.equal(nameComponent(empty), '', empty);
});

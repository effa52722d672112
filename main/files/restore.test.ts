import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { ListedStore } from '../content/store.js';
import { storeOf, type ServedBlob } from '../testing/blob-store.js';
import { restoreFiles } from './restore.js';
import { entriesUnder, rejectsWith, sha256, tempDir } from './fixture.js';
import { EMPTY_CONFIG } from './titles.js';

interface Entry {
  title?: string;
  content: string;
  /** What the bundle actually hands over, when it differs from `content`. */
  served?: string;
  annotations?: Record<string, string>;
  mediaType?: string;
}

/** A manifest in the ORAS file convention, written by hand so it can say anything. */
function hostile(entries: Entry[]): { manifestBytes: Buffer; blobs: ListedStore } {
  const layers = entries.map((e) => ({
    mediaType: e.mediaType ?? 'application/vnd.oci.image.layer.v1.tar',
    digest: sha256(Buffer.from(e.content)),
    size: Buffer.byteLength(e.content),
    annotations: { ...(e.title !== undefined ? { 'org.opencontainers.image.title': e.title } : {}), ...e.annotations },
  }));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: 'application/vnd.unknown.artifact.v1',
    config: { mediaType: EMPTY_CONFIG.mediaType, digest: EMPTY_CONFIG.digest, size: 2 },
    layers,
  };
  const blobs = entries.map((e, i): ServedBlob => ({
    digest: layers[i]!.digest,
    size: layers[i]!.size,
    open: async () => Readable.from([Buffer.from(e.served ?? e.content)]),
  }));
  return { manifestBytes: Buffer.from(JSON.stringify(manifest)), blobs: storeOf(blobs) };
}

/** A parent holding only `out` (not yet created) and `outside`, so any stray write shows. */
async function arena() {
  const base = await tempDir();
  const out = path.join(base, 'out');
  const outside = path.join(base, 'outside');
  await fs.mkdir(outside);
  await fs.writeFile(path.join(outside, 'keep.txt'), 'keep');
  const untouched = async () => {
    assert.deepEqual(await entriesUnder(outside), ['keep.txt']);
    assert.equal(await fs.readFile(path.join(outside, 'keep.txt'), 'utf8'), 'keep');
    assert.deepEqual(
      (await fs.readdir(base)).sort(),
      await fs.stat(out).then(
        () => ['out', 'outside'],
        () => ['outside'],
      ),
    );
  };
  return { base, out, outside, untouched };
}

test('titles that could escape the folder are refused before anything is written', async () => {
  const { base, out, untouched } = await arena();
  const titles = [
    '../x',
    '/etc/x',
    path.join(base, 'outside', 'x'),
    'a/../../b',
    'a\\b',
    '..\\..\\x',
    '..',
    './a',
    'a/./b',
    'a//b',
    'a/',
    '',
    'a\0b',
    'C:x',
    `${'x/'.repeat(2100)}x`,
  ];
  for (const title of titles) {
    const input = hostile([
      { title: 'fine.txt', content: 'fine' },
      { title, content: 'evil' },
    ]);
    const err = await rejectsWith(restoreFiles(out, input), 'INTEGRITY', JSON.stringify(title).slice(0, 40), 'nothing was written');
    assert.equal(err.details.title, title);
    await untouched();
    assert.deepEqual(await entriesUnder(out), []);
  }
});

test("duplicate titles, and a title that is also another title's folder, are refused", async () => {
  const { out, untouched } = await arena();
  await rejectsWith(
    restoreFiles(
      out,
      hostile([
        { title: 'a.txt', content: '1' },
        { title: 'a.txt', content: '2' },
      ]),
    ),
    'INTEGRITY',
    '"a.txt"',
    'twice',
  );
  await rejectsWith(
    restoreFiles(
      out,
      hostile([
        { title: 'a', content: '1' },
        { title: 'a/b', content: '2' },
      ]),
    ),
    'INTEGRITY',
    '"a"',
    '"a/b"',
  );
  await rejectsWith(
    restoreFiles(
      out,
      hostile([
        { title: 'x/y/z', content: '1' },
        { title: 'x/y', content: '2' },
      ]),
    ),
    'INTEGRITY',
    '"x/y"',
  );
  await untouched();
});

test('content that does not match its digest is refused and leaves no trace', async () => {
  const { out, untouched } = await arena();
  const tampered = hostile([
    { title: 'deep/er/model.bin', content: 'the real weights', served: 'the evil weights' },
    { title: 'z.txt', content: 'z' },
  ]);
  await rejectsWith(restoreFiles(out, tampered), 'INTEGRITY', 'deep/er/model.bin', 'does not match');
  await untouched();
  assert.deepEqual(await entriesUnder(out), []);

  await rejectsWith(restoreFiles(out, hostile([{ title: 'long.txt', content: 'short', served: 'short and then some' }])), 'INTEGRITY', 'longer than');
  await rejectsWith(restoreFiles(out, hostile([{ title: 'short.txt', content: 'long enough', served: 'long' }])), 'INTEGRITY', '4 bytes');
  await untouched();
  assert.deepEqual(await entriesUnder(out), []);
});

test('a damaged second file commits nothing, not even the verified first one, and a rerun writes both', async () => {
  const { out } = await arena();
  const entries: Entry[] = [
    { title: 'a/first.txt', content: 'first' },
    { title: 'b/second.txt', content: 'second', served: 'SECOND' },
  ];
  await rejectsWith(restoreFiles(out, hostile(entries)), 'INTEGRITY', 'b/second.txt');
  assert.deepEqual(await entriesUnder(out), []);
  delete entries[1]!.served;
  const rerun = await restoreFiles(out, hostile(entries));
  assert.deepEqual(rerun, { written: ['a/first.txt', 'b/second.txt'], skipped: [] });
  assert.equal(await fs.readFile(path.join(out, 'b', 'second.txt'), 'utf8'), 'second');
});

test('a symbolic link in the folder that leads outside it is refused; one that stays inside is followed', async () => {
  const { out, outside, untouched } = await arena();
  await fs.mkdir(out);
  await fs.symlink(outside, path.join(out, 'escape'));
  await rejectsWith(
    restoreFiles(
      out,
      hostile([
        { title: 'a.txt', content: 'a' },
        { title: 'escape/x.txt', content: 'x' },
      ]),
    ),
    'USAGE',
    path.join(out, 'escape'),
    'outside',
  );
  await fs.symlink(path.join(outside, 'keep.txt'), path.join(out, 'target.txt'));
  await rejectsWith(restoreFiles(out, hostile([{ title: 'target.txt', content: 'overwrite' }])), 'USAGE', 'symbolic link');
  await fs.symlink(path.join(outside, 'missing'), path.join(out, 'dangling'));
  await rejectsWith(restoreFiles(out, hostile([{ title: 'dangling/x', content: 'x' }])), 'USAGE', path.join(out, 'dangling'), 'to nothing');
  await untouched();
  assert.deepEqual(await entriesUnder(out), ['dangling', 'escape', 'target.txt']);

  await fs.mkdir(path.join(out, 'real'));
  await fs.symlink('real', path.join(out, 'alias'));
  const result = await restoreFiles(out, hostile([{ title: 'alias/in.txt', content: 'in' }]));
  assert.deepEqual(result.written, ['alias/in.txt']);
  assert.equal(await fs.readFile(path.join(out, 'real', 'in.txt'), 'utf8'), 'in');
  await rejectsWith(
    restoreFiles(
      out,
      hostile([
        { title: 'alias/same.txt', content: '1' },
        { title: 'real/same.txt', content: '2' },
      ]),
    ),
    'USAGE',
    'same place',
  );
  await untouched();
});

test('manifests that are not files artifacts are refused as invalid', async () => {
  const { out, untouched } = await arena();
  await rejectsWith(restoreFiles(out, { manifestBytes: Buffer.from('{not json'), blobs: storeOf([]) }), 'INVALID_INPUT', 'not JSON');
  await rejectsWith(restoreFiles(out, hostile([{ content: 'no title' }])), 'INVALID_INPUT', 'org.opencontainers.image.title');
  await rejectsWith(
    restoreFiles(
      out,
      hostile([
        { title: 'dir', content: 'gz', mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', annotations: { 'io.deis.oras.content.unpack': 'true' } },
      ]),
    ),
    'INVALID_INPUT',
    'oras pull',
  );
  const missing = hostile([{ title: 'a.txt', content: 'a' }]);
  await rejectsWith(restoreFiles(out, { manifestBytes: missing.manifestBytes, blobs: storeOf([]) }), 'INVALID_INPUT', 'a.txt', 'not provided');
  await untouched();

  // oras packs an artifact without files with the empty descriptor as its only layer: nothing to write.
  const empty = hostile([{ content: '{}', mediaType: EMPTY_CONFIG.mediaType }]);
  assert.deepEqual(await restoreFiles(out, empty), { written: [], skipped: [] });
});

test('a cancelled restore writes nothing', async () => {
  const { out, untouched } = await arena();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(restoreFiles(out, { ...hostile([{ title: 'a.txt', content: 'a' }]), signal: controller.signal }));
  await untouched();
  assert.deepEqual(await entriesUnder(out), []);
});

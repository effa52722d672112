import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { VolumeSet } from './volume-set.js';
import { FerryError } from '../util/errors.js';
import { BundleStore } from './bundle-store.js';
import { fetchAll } from '../content/store.js';

const tempDirs: string[] = [];
after(async () => {
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A tar stream of `prefix`, blob A, blob B written as two volume files cut inside B, with the offsets BUNDLE.json would list. */
async function twoVolumes() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-content-'));
  tempDirs.push(dir);
  const prefix = Buffer.alloc(512, 7);
  const a = Buffer.from('the first blob, whole in volume one');
  const b = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
  const stream = Buffer.concat([prefix, a, b]);
  const cut = prefix.length + a.length + 1000;
  const volumes = [stream.subarray(0, cut), stream.subarray(cut)].map((bytes, i) => ({
    file: `t.tar.00${i + 1}`,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes,
  }));
  for (const v of volumes) await fs.writeFile(path.join(dir, v.file), v.bytes);
  const blobs = [
    { digest: digestOf(a), size: a.length, offset: prefix.length },
    { digest: digestOf(b), size: b.length, offset: prefix.length + a.length },
  ];
  const store = new BundleStore(
    new VolumeSet(
      dir,
      volumes.map(({ file, size, sha256 }) => ({ file, size, sha256 })),
    ),
    blobs,
  );
  return { store, a, b, blobs };
}

test('a bundle store reads a blob whole, and a blob that crosses from one volume into the next', async () => {
  const { store, a, b, blobs } = await twoVolumes();
  assert.deepEqual(await fetchAll(store, blobs[0]!), a);
  assert.deepEqual(await fetchAll(store, blobs[1]!), b);
  assert.deepEqual(store.find(blobs[1]!.digest), { digest: blobs[1]!.digest, size: b.length });
  assert.equal(store.find(digestOf(Buffer.from('absent'))), undefined);
});

test('a bundle store reads a range of a blob, across the volume boundary too', async () => {
  const { store, b, blobs } = await twoVolumes();
  const read = async (offset: number, length: number) => {
    const chunks: Buffer[] = [];
    for await (const chunk of store.fetch(blobs[1]!, { offset, length })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  assert.deepEqual(await read(990, 20), b.subarray(990, 1010));
  assert.deepEqual(await read(0, 10), b.subarray(0, 10));
  assert.deepEqual(await read(2990, 10), b.subarray(2990));
  assert.deepEqual(await read(1500, 0), Buffer.alloc(0));
  assert.throws(() => store.fetch(blobs[1]!, { offset: 2995, length: 10 }), /outside its 3000 bytes/);
});

test('a blob the bundle does not carry is refused by name', async () => {
  const { store } = await twoVolumes();
  const absent = digestOf(Buffer.from('absent'));
  assert.throws(
    () => store.fetch({ digest: absent, size: 6 }),
    (err: unknown) => err instanceof FerryError && err.code === 'INVALID_INPUT' && err.message.includes(absent) && err.details?.blob === absent,
  );
});

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../testing/cli.js';
import { ParallelHasher } from './parallel-hasher.js';
import { readThroughRing } from './ring-reader.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('sessions fed interleaved, from plain chunks and from shared ones, each hash to their own bytes', async () => {
  const a = randomBytes(5 * 1024 * 1024 + 123);
  const b = randomBytes(3 * 1024 * 1024 + 7);
  const shared = Buffer.from(new SharedArrayBuffer(b.length));
  b.copy(shared);
  const hasher = new ParallelHasher();
  try {
    const sa = hasher.begin();
    const sb = hasher.begin();
    // More than the slots hold in flight, in uneven pieces, switching session often.
    for (let at = 0, step = 1; at < Math.max(a.length, b.length); at += step, step = (step * 7 + 65_537) % 900_001) {
      const pa = a.subarray(at, at + step);
      const pb = shared.subarray(at, at + step);
      await Promise.all([pa.length ? hasher.update(sa, pa) : undefined, pb.length ? hasher.update(sb, pb) : undefined]);
    }
    assert.equal(await hasher.digest(sb), sha256(b));
    assert.equal(await hasher.digest(sa), sha256(a));
    assert.equal(await hasher.digest(hasher.begin()), sha256(Buffer.alloc(0)));
  } finally {
    await hasher.close();
  }
});

test('updates that overlap (a writer keeps one chunk in flight) keep their order: small plain chunks, and plain and shared ones mixed', async () => {
  const data = randomBytes(16 * 1024 * 1024 + 4321);
  const shared = Buffer.from(new SharedArrayBuffer(data.length));
  data.copy(shared);
  // As the bundle writer feeds a blob from a registry (plain pieces of 64 KiB or less) or a volume (tar headers between pieces read through a ring).
  const feeds: [string, (at: number, i: number) => Buffer][] = [
    ['plain 64 KiB', (at) => data.subarray(at, at + 65_536)],
    ['plain 4 KiB', (at) => data.subarray(at, at + 4096)],
    ['mixed', (at, i) => (i % 3 === 0 ? shared : data).subarray(at, at + 1 + ((i * 7919) % 300_000))],
  ];
  for (const [name, piece] of feeds) {
    const hasher = new ParallelHasher();
    try {
      const id = hasher.begin();
      let previous: Promise<void> = Promise.resolve();
      for (let at = 0, i = 0; at < data.length; i++) {
        const chunk = piece(at, i);
        const placed = hasher.update(id, chunk);
        await previous;
        previous = placed;
        at += chunk.length;
      }
      await previous;
      assert.equal(await hasher.digest(id), sha256(data), name);
    } finally {
      await hasher.close();
    }
  }
});

test('a shared chunk is hashed where it lies: reusing it after update() resolves changes nothing', async () => {
  const hasher = new ParallelHasher();
  const slot = Buffer.from(new SharedArrayBuffer(1024 * 1024));
  const expected = createHash('sha256');
  try {
    const id = hasher.begin();
    for (let i = 0; i < 40; i++) {
      slot.fill(i);
      expected.update(slot);
      await hasher.update(id, slot);
    }
    assert.equal(await hasher.digest(id), expected.digest('hex'));
  } finally {
    await hasher.close();
  }
});

test('readThroughRing yields the asked range in order, valid until the next chunk, and stops at the end of a short file', async () => {
  const dir = await tempDir('ring');
  dirs.push(dir);
  const file = path.join(dir, 'blob');
  const bytes = randomBytes(9 * 1024 * 1024 + 333);
  await fs.writeFile(file, bytes);
  const hashThrough = async (start: number, length: number) => {
    const hash = createHash('sha256');
    let read = 0;
    for await (const chunk of readThroughRing(file, start, length)) {
      assert.ok(chunk.buffer instanceof SharedArrayBuffer);
      hash.update(chunk);
      read += chunk.length;
    }
    return { hex: hash.digest('hex'), read };
  };
  assert.deepEqual(await hashThrough(0, bytes.length), { hex: sha256(bytes), read: bytes.length });
  assert.deepEqual(await hashThrough(4097, 3 * 1024 * 1024), { hex: sha256(bytes.subarray(4097, 4097 + 3 * 1024 * 1024)), read: 3 * 1024 * 1024 });
  assert.deepEqual(await hashThrough(bytes.length - 10, 100), { hex: sha256(bytes.subarray(bytes.length - 10)), read: 10 });
  const small = path.join(dir, 'small');
  await fs.writeFile(small, 'a runbook\n');
  for await (const chunk of readThroughRing(small, 0, 10)) {
    assert.equal(chunk.toString(), 'a runbook\n');
    assert.ok(chunk.buffer.byteLength <= 20, `a 10-byte file gets a ring of ${chunk.buffer.byteLength} bytes, not megabytes`);
  }
  await assert.rejects(
    (async () => {
      for await (const _ of readThroughRing(path.join(dir, 'missing'), 0, 1)) void _;
    })(),
    { code: 'ENOENT' },
  );
});

test('a chunk of readThroughRing stays unchanged while the next one is used, whatever the ring size (a writer keeps one chunk in flight)', async () => {
  const dir = await tempDir('ring-behind');
  dirs.push(dir);
  const file = path.join(dir, 'blob');
  const bytes = randomBytes(6 * 1024 * 1024 + 999);
  await fs.writeFile(file, bytes);
  // 1, 2, 3 slots' worth and a long range: the ring has 2, 3, 4 and 4 slots.
  for (const length of [1024 * 1024, 2 * 1024 * 1024, 3 * 1024 * 1024 - 5, bytes.length]) {
    let previous: { chunk: Buffer; at: number } | undefined;
    let at = 0;
    for await (const chunk of readThroughRing(file, 0, length)) {
      // Give the reads ahead time to land: any that reused the previous chunk's slot would show here.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (previous) assert.ok(previous.chunk.equals(bytes.subarray(previous.at, previous.at + previous.chunk.length)), `chunk at ${previous.at} changed`);
      previous = { chunk, at };
      at += chunk.length;
    }
    assert.equal(at, length);
  }
});

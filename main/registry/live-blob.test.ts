import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import type { ByteRange, ReadOnlyStore } from '../content/store.js';
import { LiveBlob } from './live-blob.js';

const KiB = 1024;

/** The volumes behind a live blob: here the blob's bytes in memory (only a retry or a detached read uses them). */
function volumesOf(bytes: Buffer): ReadOnlyStore {
  return { fetch: (_d, range?: ByteRange) => Readable.from([bytes.subarray(range?.offset ?? 0, (range?.offset ?? 0) + (range?.length ?? bytes.length))]) };
}

function sharedCopy(bytes: Buffer): Buffer {
  const slot = Buffer.from(new SharedArrayBuffer(bytes.length));
  bytes.copy(slot);
  return slot;
}

test("an upload takes the read's pieces where they lie, and the read moves on only once the upload asks for what follows", async () => {
  const blob = Buffer.alloc(8 * KiB, 7);
  blob.fill(9, 4 * KiB);
  const live = new LiveBlob({ digest: 'sha256:x', size: blob.length }, volumesOf(blob));
  const pieces = live.pieces({ offset: 0, length: blob.length })[Symbol.asyncIterator]();

  const slot = sharedCopy(blob.subarray(0, 4 * KiB));
  let released = false;
  const offered = live.offer(slot).then(() => (released = true));
  const first = await pieces.next();
  assert.equal(first.value!.buffer, slot.buffer, 'the piece is the read slot itself, not a copy');
  await tick();
  assert.equal(released, false, 'the slot is not refilled while the upload still holds the piece');

  const second = pieces.next();
  await offered;
  assert.equal(released, true, 'asking for the next bytes gives the slot back to the read');
  // The read refills its slot with the next bytes: the upload takes them as they are now.
  blob.copy(slot, 0, 4 * KiB);
  const finished = live.offer(slot);
  assert.deepEqual((await second).value, blob.subarray(4 * KiB));
  assert.equal((await pieces.next()).done, true);
  await finished;
});

test('a reader that keeps what it reads (fetch) gets copies, unchanged when the read reuses its slot', async () => {
  const blob = Buffer.alloc(4 * KiB, 3);
  const live = new LiveBlob({ digest: 'sha256:y', size: blob.length }, volumesOf(blob));
  const kept: Buffer[] = [];
  const reading = (async () => {
    for await (const chunk of live.fetch({ digest: 'sha256:y', size: blob.length })) kept.push(chunk as Buffer);
  })();
  const slot = sharedCopy(blob);
  await live.offer(slot);
  slot.fill(0);
  await reading;
  assert.deepEqual(Buffer.concat(kept), blob);
});

test('a chunk sent again reads the bytes behind the live point from the volumes, then takes the live piece', async () => {
  const blob = Buffer.alloc(6 * KiB);
  for (let i = 0; i < blob.length; i++) blob[i] = i % 251;
  const live = new LiveBlob({ digest: 'sha256:z', size: blob.length }, volumesOf(blob));
  const firstTry = live.pieces({ offset: 0, length: 4 * KiB })[Symbol.asyncIterator]();
  const a = live.offer(sharedCopy(blob.subarray(0, 2 * KiB)));
  await firstTry.next();
  void firstTry.next(); // the connection is cut while the upload waits for the next piece
  await a;
  const b = live.offer(sharedCopy(blob.subarray(2 * KiB, 4 * KiB)));
  const again: Buffer[] = [];
  for await (const piece of live.pieces({ offset: 0, length: 4 * KiB })) again.push(Buffer.from(piece));
  assert.deepEqual(Buffer.concat(again), blob.subarray(0, 4 * KiB));
  live.finish();
  await b;
  await live.offer(sharedCopy(blob.subarray(4 * KiB))); // nobody takes more: resolved at once
});

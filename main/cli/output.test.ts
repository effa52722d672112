import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { makeOutput } from './output.js';

/** A stdout that keeps each write apart, so the test can count them. */
function recorder(): { stream: Writable; writes: string[] } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  return { stream, writes };
}

test('a listing of 20,000 lines reaches stdout in a few writes, in order, and nothing is held once the turn ends', async () => {
  const { stream, writes } = recorder();
  const out = makeOutput(false, stream);
  const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
  for (const line of lines) out.line(line);
  await nextTurn();
  assert.ok(writes.length <= 30, `${writes.length} writes for 20,000 lines`);
  assert.equal(writes.join(''), lines.map((l) => `${l}\n`).join(''));
});

test("a long job's progress line shows by the next turn of the event loop, and flush() writes what is held at once", async () => {
  const { stream, writes } = recorder();
  const out = makeOutput(false, stream);
  out.line('Writing volume 1 of 2');
  assert.deepEqual(writes, []);
  await nextTurn();
  assert.deepEqual(writes, ['Writing volume 1 of 2\n']);
  out.line('Done.');
  out.flush();
  assert.deepEqual(writes, ['Writing volume 1 of 2\n', 'Done.\n']);
  await nextTurn();
  assert.equal(writes.length, 2, 'a flushed line is not written again');
});

test('control characters are still shown escaped, and --json mode prints the result and no human lines', async () => {
  const human = recorder();
  makeOutput(false, human.stream).line('a\u001b[2Jb');
  const machine = recorder();
  const json = makeOutput(true, machine.stream);
  json.line('not shown');
  json.result({ ok: true });
  await nextTurn();
  assert.deepEqual(human.writes, ['a\\e[2Jb\n']);
  assert.deepEqual(machine.writes, ['{\n  "ok": true\n}\n']);
});

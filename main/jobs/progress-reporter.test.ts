import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobProgress } from '../../shared/rpc.js';
import { ProgressReporter, STALL_MS } from './progress-reporter.js';

function reporter() {
  let now = 1_000_000;
  const posted: JobProgress[] = [];
  const r = new ProgressReporter(
    (p) => posted.push(p),
    () => now,
  );
  return { r, posted, advance: (ms: number) => (now += ms) };
}

test('within a phase the bytes never go back (a blob started over), and a new phase starts its own count', () => {
  const { r, posted, advance } = reporter();
  r.report({ bytesDone: 0, bytesTotal: 100, item: 'a', phase: 'Reading volume 1 of 2 and pushing: 0 of 3 blobs' });
  advance(300);
  r.report({ bytesDone: 80, bytesTotal: 100, item: 'a', phase: 'Reading volume 1 of 2 and pushing: 0 of 3 blobs' });
  advance(300);
  r.report({ bytesDone: 30, bytesTotal: 100, item: 'a', phase: 'Reading volume 1 of 2 and pushing: 0 of 3 blobs' });
  assert.deepEqual(
    posted.map((p) => p.bytesDone),
    [0, 80, 80],
  );
  advance(300);
  r.report({ bytesDone: 5, bytesTotal: 10, item: 'b', phase: 'Making the import visible' });
  assert.equal(posted.at(-1)!.bytesDone, 5);
  assert.equal(posted.at(-1)!.phase, 'Making the import visible');
});

test('a registry retry is shown at once with no time left claimed, and cleared when bytes move', () => {
  const { r, posted, advance } = reporter();
  r.report({ bytesDone: 10, bytesTotal: 100, item: 'model', phase: 'p' });
  advance(1000);
  r.report({ bytesDone: 20, bytesTotal: 100, item: 'model', phase: 'p' });
  r.wait('the registry is not answering (HTTP 503): retry 2 of 5 in 8 s');
  assert.equal(posted.at(-1)!.waiting, 'the registry is not answering (HTTP 503): retry 2 of 5 in 8 s');
  assert.equal(posted.at(-1)!.etaSeconds, null);
  r.wait(undefined);
  advance(1000);
  r.report({ bytesDone: 40, bytesTotal: 100, item: 'model', phase: 'p' });
  assert.equal(posted.at(-1)!.waiting, undefined);
  assert.ok(posted.at(-1)!.etaSeconds! > 0);
});

test('no bytes for ten seconds is a stall: the progress says so while nothing reports, rate 0 and no time left', () => {
  const { r, posted, advance } = reporter();
  r.report({ bytesDone: 50, bytesTotal: 100, item: 'model', phase: 'p' });
  const before = posted.length;
  advance(STALL_MS - 1000);
  r.tick();
  assert.equal(posted.length, before, 'not yet a stall');
  advance(2000);
  r.tick();
  const stalled = posted.at(-1)!;
  assert.match(stalled.waiting ?? '', /nothing has moved for 11 s/);
  assert.equal(stalled.rate, 0);
  assert.equal(stalled.etaSeconds, null);
  assert.equal(stalled.bytesDone, 50);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { FerryError } from '../main/util/errors.js';
import { createPeer, nodeFramePort, parseFrame, type Handlers, type Timeouts } from './port-protocol.js';

// Both ends of a real MessageChannel (structured clone, asynchronous delivery), as the utility
// process and the main process use one.

type EngineSide = {
  slow: { params: { ms: number; tag: string }; result: string };
  fail: { params: { file: string }; result: never };
  fn: { params: null; result: unknown };
};
type ShellSide = { pick: { params: { title: string }; result: string | null } };

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pair(timeouts: Partial<Timeouts<EngineSide>> = {}) {
  const channel = new MessageChannel();
  const events: unknown[] = [];
  const malformed: string[] = [];
  const engineServes: Handlers<EngineSide> = {
    slow: async ({ ms, tag }) => {
      await delay(ms);
      return `done ${tag}`;
    },
    fail: async ({ file }) => {
      throw new FerryError('NOT_FOUND', `${file} does not exist. Choose another file.`, { file });
    },
    fn: async () => ({ call: () => 1 }),
  };
  const engine = createPeer<EngineSide, ShellSide>(nodeFramePort(channel.port1), {
    serves: engineServes,
    timeouts: { pick: 0 },
    onMalformed: (reason) => malformed.push(reason),
  });
  const shell = createPeer<ShellSide, EngineSide>(nodeFramePort(channel.port2), {
    serves: { pick: async ({ title }) => `/picked/for/${title}` },
    timeouts: { slow: 0, fail: 1_000, fn: 1_000, ...timeouts },
    onEvent: (data) => events.push(data),
  });
  return { channel, engine, shell, events, malformed };
}

test('answers find their requests, whatever order they come back in', async () => {
  const { engine, shell } = pair();
  const answers = await Promise.all([
    shell.request('slow', { ms: 60, tag: 'a' }),
    shell.request('slow', { ms: 5, tag: 'b' }),
    shell.request('slow', { ms: 30, tag: 'c' }),
    engine.request('pick', { title: 'Export to' }),
  ]);
  assert.deepEqual(answers, ['done a', 'done b', 'done c', '/picked/for/Export to']);
  shell.close('test over');
});

test('a handler that throws answers its FerryError envelope, thrown again on the asking side', async () => {
  const { shell } = pair();
  await assert.rejects(shell.request('fail', { file: '/media/usb/a.bin' }), (error: unknown) => {
    assert.ok(error instanceof FerryError);
    assert.equal(error.code, 'NOT_FOUND');
    assert.equal(error.message, '/media/usb/a.bin does not exist. Choose another file.');
    assert.deepEqual(error.details, { file: '/media/usb/a.bin' });
    return true;
  });
  shell.close('test over');
});

test('an unknown method is a USAGE error, and an answer that cannot be cloned is an error, not a hang', async () => {
  const { shell } = pair();
  const unknown = shell as unknown as { request(method: string, params: unknown): Promise<unknown> };
  await assert.rejects(unknown.request('toString', {}), { name: 'FerryError', code: 'USAGE', message: /Unknown request toString/ });
  await assert.rejects(shell.request('fn', null), { name: 'FerryError', code: 'INTERNAL' });
  shell.close('test over');
});

test('a request without an answer in time fails naming the method; the late answer is dropped', async () => {
  const { shell } = pair({ slow: 20 });
  await assert.rejects(shell.request('slow', { ms: 80, tag: 'late' }), { name: 'FerryError', code: 'INTERNAL', message: /slow got no answer within 20 ms/ });
  await delay(100);
  assert.equal(await shell.request('fail', { file: 'x' }).catch((error: FerryError) => error.code), 'NOT_FOUND');
  shell.close('test over');
});

test('closing fails every pending request with the reason, on both ends, and later requests at once', async () => {
  const { engine, shell } = pair();
  const pending = shell.request('slow', { ms: 300, tag: 'never' });
  await delay(10);
  engine.close('The engine process exited (code 1). Restart Ferry.');
  await assert.rejects(pending, { code: 'INTERNAL', message: /port closed|exited/ });
  assert.equal(engine.closed, true);
  await delay(10);
  assert.equal(shell.closed, true);
  await assert.rejects(shell.request('slow', { ms: 1, tag: 'after' }), { code: 'INTERNAL' });
  await assert.rejects(engine.request('pick', { title: 't' }), { code: 'INTERNAL', message: /exited \(code 1\)/ });
});

test('events need no answer; frames that are not the protocol are reported and dropped', async () => {
  const { channel, engine, shell, events, malformed } = pair();
  engine.emit({ event: 'job.updated', data: { id: 'j1' } });
  channel.port2.postMessage('hello');
  channel.port2.postMessage({ kind: 'request', id: 0, method: 'slow' });
  channel.port2.postMessage({ kind: 'answer', id: 99, ok: true, result: 1 });
  assert.equal(await shell.request('slow', { ms: 1, tag: 'still works' }), 'done still works');
  await delay(10);
  assert.deepEqual(events, [{ event: 'job.updated', data: { id: 'j1' } }]);
  assert.deepEqual(malformed, ['not an object', 'request frame without a positive integer id']);
  shell.close('test over');
});

test('parseFrame accepts the four frames and refuses the rest', () => {
  assert.deepEqual(parseFrame({ kind: 'request', id: 3, method: 'rpc', params: { a: 1 } }), { kind: 'request', id: 3, method: 'rpc', params: { a: 1 } });
  assert.deepEqual(parseFrame({ kind: 'answer', id: 3, ok: true, result: null }), { kind: 'answer', id: 3, ok: true, result: null });
  assert.equal(parseFrame({ kind: 'answer', id: 3, ok: false, error: 'boom' }), 'answer 3 is neither a result nor an error envelope');
  assert.equal(parseFrame({ kind: 'request', id: 1.5, method: 'x' }), 'request frame without a positive integer id');
  assert.equal(parseFrame({ kind: 'request', id: 2, method: '' }), 'request 2 without a method');
  assert.equal(parseFrame({ kind: 'shout', id: 2 }), 'unknown frame kind shout');
  assert.equal(parseFrame([1]), 'not an object');
});

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { tempDir } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { frame, RawWs } from '../testing/raw-ws.js';
import { loginToHost, WsRpc } from '../testing/ws-client.js';
import { MAX_MESSAGE_BYTES, startHost, type Host } from './server.js';

const TEXT = 0x1;
const PING = 0x9;
const PROTOCOL_ERROR = 1002;
const INVALID_DATA = 1007;
const TOO_BIG = 1009;

/**
 * Bad bytes on one WebSocket close that connection only: the host (this very process: an
 * unhandled 'error' would end it), other connections and a running job carry on.
 */
describe('the browser host against malformed WebSocket traffic', () => {
  let work: string;
  let host: Host;
  let session: Awaited<ReturnType<typeof loginToHost>>;
  let before1: WsRpc;
  let jobId: string;

  const headers = () => ({ Cookie: session.cookie, Origin: session.origin });
  const openRaw = () => RawWs.upgrade(host.port, headers());

  before(async () => {
    work = await tempDir('host-frames');
    await fs.mkdir(path.join(work, 'renderer'));
    await fs.writeFile(path.join(work, 'renderer', 'index.html'), '<!doctype html><title>Ferry</title>');
    await makeOllamaStore(path.join(work, 'store'), [{ name: 'granite4.1:8b', modelBytes: 48 * 1024 * 1024 }]);
    await fs.mkdir(path.join(work, 'usb'));
    host = await startHost({ home: path.join(work, 'home'), rendererDir: path.join(work, 'renderer'), browseRoots: [work] });
    session = await loginToHost(host.url);
    before1 = await WsRpc.connect(session.wsUrl, headers());
    assert.equal((await before1.call('fs.list', { path: work })).ok, true);
    const started = await before1.call('export.start', {
      store: path.join(work, 'store'),
      models: ['granite4.1:8b'],
      volumeSize: 8 * 1024 * 1024,
      destination: path.join(work, 'usb'),
      name: 'b1',
    });
    assert.equal(started.ok, true, started.error?.message);
    jobId = started.result.id;
  });
  after(async () => {
    before1?.close();
    await host?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  const closedWith = [
    { name: 'a reserved opcode', bytes: () => frame({ opcode: 0x3, payload: Buffer.from('x') }), code: PROTOCOL_ERROR },
    { name: 'an unmasked client frame', bytes: () => frame({ opcode: TEXT, payload: Buffer.from('{}'), masked: false }), code: PROTOCOL_ERROR },
    { name: 'RSV1 set without an extension', bytes: () => frame({ opcode: TEXT, payload: Buffer.from('{}'), rsv: 0b100 }), code: PROTOCOL_ERROR },
    { name: 'RSV2 and RSV3 set', bytes: () => frame({ opcode: TEXT, payload: Buffer.from('{}'), rsv: 0b011 }), code: PROTOCOL_ERROR },
    { name: 'a text frame with invalid UTF-8', bytes: () => frame({ opcode: TEXT, payload: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) }), code: INVALID_DATA },
    { name: 'one frame over the size limit', bytes: () => frame({ opcode: TEXT, payload: Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20) }), code: TOO_BIG },
    {
      name: 'a fragmented message over the size limit',
      bytes: () =>
        Buffer.concat([
          frame({ opcode: TEXT, fin: false, payload: Buffer.alloc(MAX_MESSAGE_BYTES / 2 + 1, 0x20) }),
          frame({ opcode: 0x0, payload: Buffer.alloc(MAX_MESSAGE_BYTES / 2 + 1, 0x20) }),
        ]),
      code: TOO_BIG,
    },
    { name: 'a fragmented control frame', bytes: () => frame({ opcode: PING, fin: false, payload: Buffer.from('p') }), code: PROTOCOL_ERROR },
    { name: 'a control frame over 125 bytes', bytes: () => frame({ opcode: PING, payload: Buffer.alloc(126, 0x61) }), code: PROTOCOL_ERROR },
    { name: 'garbage bytes after the handshake', bytes: () => Buffer.from('\xff\xfe garbage \x00\x01\x02 not a frame', 'latin1'), code: PROTOCOL_ERROR },
  ];

  for (const bad of closedWith) {
    test(`${bad.name} closes that connection with ${bad.code}`, async () => {
      const raw = await openRaw();
      raw.write(bad.bytes());
      const ending = await raw.ending();
      assert.equal(ending.closeCode, bad.code, `close reason: ${ending.reason}`);
      assert.equal((await before1.call('app.ping')).ok, true, 'the connection opened before still answers');
    });
  }

  test('garbage instead of an HTTP request gets 400 and the connection closes', async () => {
    const raw = await RawWs.connect(host.port, Buffer.from('\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03 not http\r\n\r\n', 'latin1'));
    assert.match(await raw.readHead(), /^HTTP\/1\.1 400/);
    await raw.ending();
  });

  test('a client that vanishes mid-frame (closed or reset) leaves the host serving', async () => {
    const cut = await openRaw();
    cut.write(frame({ opcode: TEXT, payload: Buffer.from('{"id":1,"method":"app.ping","params":{}}'), announcedLength: 100 }).subarray(0, 20));
    cut.destroy();
    const reset = await openRaw();
    reset.write(frame({ opcode: TEXT, payload: Buffer.alloc(70_000, 0x20) }).subarray(0, 30_000));
    reset.socket.resetAndDestroy();
    const refused = await RawWs.connect(host.port, `GET /rpc HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`);
    refused.socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await before1.call('app.ping')).ok, true);
  });

  test('after all that, a new connection works and the export that was running completes', async () => {
    const after1 = await WsRpc.connect(session.wsUrl, headers());
    try {
      assert.equal((await after1.call('app.ping')).ok, true);
      const done = await before1.waitFor((e) => e.event === 'job.updated' && e.data.id === jobId && e.data.state !== 'running', 120_000);
      assert.equal(done.data.state, 'completed', JSON.stringify(done.data.error));
      const listed = await after1.call('jobs.list');
      assert.equal(listed.result.jobs.find((j: { id: string }) => j.id === jobId)?.state, 'completed');
    } finally {
      after1.close();
    }
  });
});

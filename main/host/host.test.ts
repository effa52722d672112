import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ferry, tempDir } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { loginToHost, WsRpc } from '../testing/ws-client.js';
import { startHost, type Host } from './server.js';

function rawGet(port: number, pathname: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('the browser host', () => {
  let work: string;
  let host: Host;
  let session: Awaited<ReturnType<typeof loginToHost>>;
  let rpc: WsRpc;

  before(async () => {
    work = await tempDir('host');
    await fs.mkdir(path.join(work, 'renderer'));
    await fs.writeFile(path.join(work, 'renderer', 'index.html'), '<!doctype html><title>Ferry</title>');
    await makeOllamaStore(path.join(work, 'store'), [{ name: 'granite4.1:8b', modelBytes: 2 * 1024 * 1024 }]);
    await fs.mkdir(path.join(work, 'usb'));
    host = await startHost({ home: path.join(work, 'home'), rendererDir: path.join(work, 'renderer'), browseRoots: [work] });
    session = await loginToHost(host.url);
    rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
  });
  after(async () => {
    rpc?.close();
    await host?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  test('binds loopback and refuses requests without the token, with a wrong token, or a foreign Host', async () => {
    assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{40,}$/);
    const bare = `http://127.0.0.1:${host.port}/`;
    assert.equal((await fetch(bare)).status, 401);
    assert.equal((await fetch(`${bare}?token=wrong`, { redirect: 'manual' })).status, 401);
    assert.equal(await rawGet(host.port, '/', { Host: 'evil.example:80', Cookie: session.cookie }), 421, 'DNS rebinding: foreign Host refused');
    const page = await fetch(bare, { headers: { Cookie: session.cookie } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(await rawGet(host.port, '/..%2f..%2fetc%2fpasswd', { Host: `127.0.0.1:${host.port}`, Cookie: session.cookie }), 404);
  });

  test('a URL opens Ferry once; a fresh URL opens it once more, voids an unused one, and leaves open sessions alone', async () => {
    const again = await fetch(host.url, { redirect: 'manual' });
    assert.equal(again.status, 401, 'the first URL was spent by the login in before()');
    assert.match(await again.text(), /already used.*press Enter in the terminal where ferry serve runs, or run `ferry serve url`/);
    const voided = host.freshUrl();
    const fresh = host.freshUrl();
    assert.notEqual(fresh, voided);
    assert.equal((await fetch(voided, { redirect: 'manual' })).status, 401, 'a newer URL voids one not used yet');
    const second = await loginToHost(fresh);
    assert.notEqual(second.cookie, session.cookie, 'each login gets its own session');
    assert.equal((await fetch(fresh, { redirect: 'manual' })).status, 401);
    for (const cookie of [session.cookie, second.cookie])
      assert.equal((await fetch(`http://127.0.0.1:${host.port}/`, { headers: { Cookie: cookie } })).status, 200);
    assert.equal((await rpc.call('app.ping')).ok, true, 'the WebSocket opened before keeps working');
    const other = await WsRpc.connect(second.wsUrl, { Cookie: second.cookie, Origin: second.origin });
    assert.equal((await other.call('app.ping')).ok, true);
    other.close();
  });

  test('the WebSocket needs the session cookie and a loopback Origin', async () => {
    await assert.rejects(WsRpc.connect(session.wsUrl, { Origin: session.origin }), /403/);
    await assert.rejects(WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: 'http://evil.example' }), /403/);
    await assert.rejects(WsRpc.connect(session.wsUrl, { Cookie: session.cookie }), /403/);
  });

  test('the dispatcher validates every request and answers one envelope', async () => {
    assert.equal((await rpc.call('app.ping')).ok, true);
    const unknown = await rpc.call('fs.rmrf', { path: '/' });
    assert.equal(unknown.ok, false);
    assert.equal(unknown.error!.code, 'USAGE');
    const invalid = await rpc.call('export.start', { store: 42 });
    assert.equal(invalid.ok, false);
    assert.equal(invalid.error!.code, 'USAGE');
    assert.match(invalid.error!.message, /store/);
  });

  test('a line the CLI writes to the same ledger reaches a connected wizard as ledger.appended', async () => {
    const before = (await rpc.call('ledger.verify')).result.count as number;
    const cli = await ferry(path.join(work, 'home'), ['ledger', 'checkpoint', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    const appended = await rpc.waitFor((e) => e.event === 'ledger.appended' && e.data.count > before, 10_000);
    assert.equal(appended.data.count, before + 1);
    assert.match(appended.data.head, /^[0-9a-f]{64}$/);
  });

  test('paths outside the folders the host offers are refused; browsing stops at the top of a root', async () => {
    const outside = await tempDir('host-outside');
    try {
      await makeOllamaStore(path.join(outside, 'store'), [{ name: 'granite4.1:8b', modelBytes: 1024 * 1024 }]);
      const refused = await rpc.call('ollama.list', { store: path.join(outside, 'store') });
      assert.equal(refused.ok, false);
      assert.equal(refused.error!.code, 'USAGE');
      assert.match(refused.error!.message, /^store: .* is outside the folders Ferry offers here \(.*\)\. Choose a folder inside one of them/);
      const browsed = await rpc.call('fs.list', { path: outside });
      assert.equal(browsed.ok, false);
      assert.match(browsed.error!.message, /^path: .* is outside the folders Ferry offers here/);
      await fs.symlink(outside, path.join(work, 'usb', 'way-out'));
      const throughLink = await rpc.call('ollama.list', { store: path.join(work, 'usb', 'way-out', 'store') });
      assert.equal(throughLink.ok, false, 'a link inside a root does not lead the browser out of it');
      await fs.rm(path.join(work, 'usb', 'way-out'));
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
    const listed = await rpc.call('fs.list', { path: work });
    assert.equal(listed.ok, true, listed.error?.message);
    assert.equal(listed.result.parent, null, 'no parent above a root');
    assert.ok(listed.result.roots.some((r: { path: string; label: string }) => r.path === work && r.label === 'Added'));
    assert.deepEqual(
      listed.result.entries.map((e: { name: string }) => e.name),
      ['home', 'renderer', 'store', 'usb'],
    );
    const models = await rpc.call('ollama.list', { store: path.join(work, 'store') });
    assert.equal(models.ok, true, models.error?.message);
    assert.equal(models.result.models[0].name, 'granite4.1:8b');
  });

  test('an export runs as a job in a worker, with progress events and a persisted result', async () => {
    const started = await rpc.call('export.start', {
      store: path.join(work, 'store'),
      models: ['granite4.1:8b'],
      volumeSize: 1024 * 1024,
      destination: path.join(work, 'usb'),
      name: 'b1',
    });
    assert.equal(started.ok, true, started.error?.message);
    const id = started.result.id;
    const done = await rpc.waitFor((e) => e.event === 'job.updated' && e.data.id === id && e.data.state !== 'running');
    assert.equal(done.data.state, 'completed', JSON.stringify(done.data.error));
    assert.match(done.data.result.bundleDigest, /^sha256:[0-9a-f]{64}$/);
    assert.ok(done.data.result.volumes.length >= 2);
    assert.ok(
      rpc.events.some((e) => e.data.id === id && e.data.progress && e.data.progress.bytesDone > 0),
      'progress was reported',
    );
    const saved = JSON.parse(await fs.readFile(path.join(work, 'home', 'jobs', `${id}.json`), 'utf8'));
    assert.equal(saved.state, 'completed');
    const ledger = await rpc.call('ledger.list', { type: 'export.completed' });
    assert.equal(ledger.result.entries[0].bundle, done.data.result.bundleDigest);
  });
});

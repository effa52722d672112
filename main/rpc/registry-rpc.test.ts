import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHost, type Host } from '../host/server.js';
import { missingTools, ferry, tempDir } from '../testing/cli.js';
import { startFaultProxy, type FaultProxy } from '../testing/fault-proxy.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { makeImageLayout, skopeoCopy, type ImageLayout } from '../testing/oci-fixture.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';
import { loginToHost, WsRpc } from '../testing/ws-client.js';

const USER = 'ferry';
const PASSWORD = 's3cret-pass';

/** Every file under `dir`, read as text (the job files, the ledger, anything else the engine wrote). */
async function allText(dir: string): Promise<string> {
  let text = '';
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) text += (await fs.readFile(path.join(entry.parentPath, entry.name))).toString('latin1');
  }
  return text;
}

describe('the wizard’s registry calls over the browser host (htpasswd registry)', async () => {
  const skip = await missingTools(['docker-registry', 'skopeo']);
  let work: string;
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let host: Host;
  let rpc: WsRpc;
  let home: string;
  let image: ImageLayout;
  let bundle: string;

  before(async () => {
    if (skip) return;
    work = await tempDir('rpc-registry');
    registry = await startRegistry({ auth: 'htpasswd' });
    proxy = await startFaultProxy({ host: '127.0.0.1', port: registry.port });
    image = await makeImageLayout(path.join(work, 'image'), {
      tag: '2.0',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
    });
    await skopeoCopy(`oci:${image.dir}:2.0`, `docker://${registry.host}/team/web:2.0`, { all: true, creds: `${USER}:${PASSWORD}` });
    const store = path.join(work, 'store');
    await makeOllamaStore(store, [{ name: 'granite4.1:8b', modelBytes: 16 * 1024 * 1024 }]);
    bundle = path.join(work, 'usb', 'model');
    const homeA = path.join(work, 'home-a');
    assert.equal((await ferry(homeA, ['export', '--out', bundle, '--ollama-store', store, '--ollama', 'granite4.1:8b'])).code, 0);
    await fs.mkdir(path.join(work, 'renderer'));
    await fs.writeFile(path.join(work, 'renderer', 'index.html'), '<!doctype html><title>Ferry</title>');
    home = path.join(work, 'home-b');
    host = await startHost({ home, rendererDir: path.join(work, 'renderer'), browseRoots: [work] });
    const session = await loginToHost(host.url);
    rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
    const trusted = await rpc.call('keys.trust', { pem: await fs.readFile(path.join(bundle, 'signer.pub.pem'), 'utf8') });
    assert.ok(trusted.ok, trusted.error?.message);
    assert.ok((await rpc.call('fs.list', { path: path.join(work, 'usb') })).ok, 'the bundle folder is granted by listing it');
  });
  after(async () => {
    rpc?.close();
    await host?.close();
    await proxy?.stop();
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('Test connection: refused without or with wrong credentials, accepted with them; remembered for later calls', { skip }, async () => {
    const access = { plainHttp: true };
    let answer = await rpc.call('registry.test', { target: `${registry.host}/airgap`, access });
    assert.equal(answer.error?.code, 'AUTH');
    assert.match(answer.error!.message, /needs a username and password/);
    answer = await rpc.call('registry.test', { target: `${registry.host}/airgap`, access, login: { username: USER, password: 'wrong' } });
    assert.equal(answer.error?.code, 'AUTH');
    answer = await rpc.call('registry.test', { target: `${registry.host}/airgap`, access, login: { username: USER, password: PASSWORD }, remember: true });
    assert.ok(answer.ok, answer.error?.message);
    assert.deepEqual(answer.result, { registry: registry.host, prefix: 'airgap', authenticated: true, credentials: 'given', storage: 'memory' });
    answer = await rpc.call('registry.test', { target: registry.host, access });
    assert.ok(answer.ok, 'remembered for this session');
    assert.equal(answer.result.credentials, 'remembered');
  });

  test('Resolve shows digests, platforms and sizes, and names what failed per reference', { skip }, async () => {
    const answer = await rpc.call('registry.resolve', {
      refs: [
        { ref: `${registry.host}/team/web:2.0`, kind: 'image' },
        { ref: `${registry.host}/team/web:9`, kind: 'image' },
        { ref: 'Not A Ref', kind: 'image' },
      ],
      access: { plainHttp: true },
    });
    assert.ok(answer.ok, answer.error?.message);
    const [found, absent, bad] = answer.result.items;
    assert.equal(found.ok, true);
    assert.equal(found.digest, image.indexDigest);
    assert.deepEqual(found.platforms, ['linux/amd64', 'linux/arm64']);
    assert.equal(found.credentials, 'remembered');
    assert.ok(found.size > 0);
    assert.equal(absent.ok, false);
    assert.equal(absent.error.code, 'NOT_FOUND');
    assert.equal(bad.error.code, 'USAGE');
  });

  test('a push job: credentials stay out of job files and the ledger; Pause ends it paused, Resume finishes it', { skip }, async () => {
    proxy.throttle(4 * 1024 * 1024);
    const started = await rpc.call('import.start', {
      request: { dir: bundle, toRegistry: { target: `${proxy.host}/airgap`, access: { plainHttp: true }, concurrency: 1 } },
      login: { username: USER, password: PASSWORD },
    });
    assert.ok(started.ok, started.error?.message);
    const id = started.result.id as string;
    await rpc.waitFor(
      (e) =>
        e.data.id === id &&
        typeof e.data.progress?.phase === 'string' &&
        /^Reading volume 1 of \d+ and pushing/.test(e.data.progress.phase) &&
        e.data.progress.bytesDone > 0,
    );
    const pushing = await rpc.waitFor((e) => e.data.id === id && Array.isArray(e.data.progress?.active) && e.data.progress.active.length > 0);
    assert.match(pushing.data.progress.active[0].digest, /^sha256:/);
    assert.ok((await rpc.call('jobs.pause', { id })).ok);
    const paused = await rpc.waitFor((e) => e.data.id === id && e.data.state !== 'running');
    assert.equal(paused.data.state, 'paused', JSON.stringify(paused.data.error));
    proxy.throttle(null);
    assert.ok((await rpc.call('jobs.resume', { id })).ok);
    const done = await rpc.waitFor((e) => e.data.id === id && e.data.state !== 'running' && e.data.updatedAt > paused.data.updatedAt);
    assert.equal(done.data.state, 'completed', JSON.stringify(done.data.error));
    assert.match(done.data.result.values, /^# values-airgap\.yaml/);
    assert.equal(done.data.result.artifacts[0].destination, `${proxy.host}/airgap/granite4.1:8b`);
    assert.equal(done.data.result.artifacts[0].pull, `ollama pull --insecure ${proxy.host}/airgap/granite4.1:8b`, 'the RPC result carries the pull command');
    assert.doesNotMatch(await allText(home), new RegExp(PASSWORD), 'no file under FERRY_HOME holds the password');
  });

  test('a paused push resumed after the host restarted asks for the password once, then finishes; the password is in no file', { skip }, async () => {
    proxy.throttle(4 * 1024 * 1024);
    const started = await rpc.call('import.start', {
      request: { dir: bundle, toRegistry: { target: `${proxy.host}/restart`, access: { plainHttp: true } } },
      login: { username: USER, password: PASSWORD },
    });
    assert.ok(started.ok, started.error?.message);
    const id = started.result.id as string;
    await rpc.waitFor(
      (e) => e.data.id === id && Array.isArray(e.data.progress?.active) && e.data.progress.active.some((b: { bytesDone: number }) => b.bytesDone > 0),
    );
    assert.ok((await rpc.call('jobs.pause', { id })).ok);
    await rpc.waitFor((e) => e.data.id === id && e.data.state === 'paused');
    proxy.throttle(null);

    // The host restarts: its memory (the password among it) is gone; the job file stays.
    rpc.close();
    await host.close();
    host = await startHost({ home, rendererDir: path.join(work, 'renderer'), browseRoots: [work] });
    const session = await loginToHost(host.url);
    rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
    const listed = await rpc.call('jobs.list', {});
    assert.equal(listed.result.jobs.find((j: { id: string }) => j.id === id)?.state, 'paused');

    const withoutPassword = await rpc.call('jobs.resume', { id });
    assert.equal(withoutPassword.error?.code, 'AUTH');
    assert.equal((withoutPassword.error as { details?: { login?: string } } | undefined)?.details?.login, 'needed', 'the wizard knows to ask for the password');
    const resumed = await rpc.call('jobs.resume', { id, login: { username: USER, password: PASSWORD } });
    assert.ok(resumed.ok, resumed.error?.message);
    const done = await rpc.waitFor((e) => e.data.id === id && (e.data.state === 'completed' || e.data.state === 'failed'));
    assert.equal(done.data.state, 'completed', JSON.stringify(done.data.error));
    assert.doesNotMatch(await allText(home), new RegExp(PASSWORD), 'no file under FERRY_HOME holds the password');
  });
});

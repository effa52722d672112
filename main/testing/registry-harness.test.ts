/** Self-tests of the registry harness against the real docker-registry, skopeo and openssl binaries. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { commandExists, tempDir } from './cli.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { makeHelmChartLayout, makeImageLayout, skopeoCopy, skopeoInspectRaw } from './oci-fixture.js';
import { DEFAULT_USERS, startRegistry, type TestRegistry } from './registry-server.js';

const NEEDED = ['docker-registry', 'skopeo', 'openssl'];
let missing: string[] = [];
const cleanups: Array<() => Promise<void>> = [];

before(async () => {
  missing = [];
  for (const name of NEEDED) if (!(await commandExists(name))) missing.push(name);
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** Skips the test when a binary it needs is absent; returns true when it may run. */
function canRun(t: TestContext, ...needs: string[]): boolean {
  const absent = needs.filter((n) => missing.includes(n));
  if (absent.length === 0) return true;
  t.skip(`${absent.join(', ')} not installed: this harness test runs the real binaries`);
  return false;
}

async function registry(opts: Parameters<typeof startRegistry>[0] = {}): Promise<TestRegistry> {
  const reg = await startRegistry(opts);
  cleanups.push(() => reg.stop());
  return reg;
}

async function scratch(prefix: string): Promise<string> {
  const dir = await tempDir(prefix);
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const basic = (u: { username: string; password: string }): string => `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;
const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('registry harness', () => {
  test('anonymous registry: skopeo pushes a 2-platform index byte for byte; storage survives kill and restart', async (t) => {
    if (!canRun(t, 'docker-registry', 'skopeo')) return;
    const reg = await registry();
    const dir = await scratch('layout');
    const layout = await makeImageLayout(dir, {
      tag: '1.0',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
      layerSizes: [1000, 70_000],
      seed: 'harness',
    });
    assert.equal(layout.manifests.length, 2);
    const indexBytes = await fs.readFile(path.join(dir, 'blobs', 'sha256', layout.indexDigest.slice(7)));
    assert.equal(sha256(indexBytes), layout.indexDigest);

    await skopeoCopy(`oci:${dir}:1.0`, `docker://${reg.host}/ferry/multi:1.0`, { all: true });
    const raw = await skopeoInspectRaw(`${reg.host}/ferry/multi:1.0`);
    assert.equal(raw.toString(), indexBytes.toString());
    assert.equal(sha256(raw), layout.indexDigest);

    // A layer really is a tar of the requested size: GET it back and check the digest.
    const layer = layout.manifests[1]!.layers[1]!;
    const blob = Buffer.from(await (await fetch(`${reg.url}/v2/ferry/multi/blobs/${layer.digest}`)).arrayBuffer());
    assert.equal(blob.length, layer.size);
    assert.equal(sha256(blob), layer.digest);

    await reg.kill();
    await assert.rejects(fetch(`${reg.url}/v2/`));
    await reg.restart();
    const again = await fetch(`${reg.url}/v2/ferry/multi/manifests/1.0`, { method: 'HEAD', headers: { Accept: 'application/vnd.oci.image.index.v1+json' } });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('docker-content-digest'), layout.indexDigest);
  });

  test('htpasswd registry: Basic challenge without credentials, 200 with them', async (t) => {
    if (!canRun(t, 'docker-registry')) return;
    const reg = await registry({ auth: 'htpasswd' });
    const anonymous = await fetch(`${reg.url}/v2/`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('www-authenticate') ?? '', /^Basic realm="ferry-test"/);
    const wrong = await fetch(`${reg.url}/v2/`, { headers: { Authorization: basic({ username: 'ferry', password: 'nope' }) } });
    assert.equal(wrong.status, 401);
    const ok = await fetch(`${reg.url}/v2/`, { headers: { Authorization: basic(DEFAULT_USERS[0]!) } });
    assert.equal(ok.status, 200);
  });

  test('token registry: Bearer challenge, token from the issuer, skopeo pushes a Helm chart', async (t) => {
    if (!canRun(t, 'docker-registry', 'skopeo', 'openssl')) return;
    const reg = await registry({ auth: 'token' });
    const tokens = reg.tokens!;
    const challenge = await fetch(`${reg.url}/v2/`);
    assert.equal(challenge.status, 401);
    assert.equal(challenge.headers.get('www-authenticate'), `Bearer realm="${tokens.url}/token",service="ferry-test-registry"`);

    const tokenUrl = `${tokens.url}/token?service=ferry-test-registry&scope=${encodeURIComponent('repository:x:pull,push')}`;
    assert.equal((await fetch(tokenUrl, { headers: { Authorization: basic({ username: 'ferry', password: 'nope' }) } })).status, 401);
    const issued = await fetch(tokenUrl, { headers: { Authorization: basic(DEFAULT_USERS[0]!) } });
    assert.equal(issued.status, 200);
    const body = (await issued.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
    assert.equal(body.access_token, body.token);
    assert.equal(body.expires_in, 60);
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString()) as { access: unknown; aud: string; sub: string };
    assert.deepEqual(claims.access, [{ type: 'repository', name: 'x', actions: ['pull', 'push'] }]);
    assert.equal(claims.sub, 'ferry');
    assert.equal((await fetch(`${reg.url}/v2/`, { headers: { Authorization: `Bearer ${body.token}` } })).status, 200);
    assert.deepEqual(tokens.requests.at(-1)?.scope, ['repository:x:pull,push']);

    // An anonymous token carries no access (anonymousPull is off): the registry refuses a pull with it.
    const anon = (await (await fetch(`${tokens.url}/token?service=ferry-test-registry&scope=repository:x:pull`)).json()) as { token: string };
    const denied = await fetch(`${reg.url}/v2/x/tags/list`, { headers: { Authorization: `Bearer ${anon.token}` } });
    assert.equal(denied.status, 401);

    const dir = await scratch('chart');
    const chart = await makeHelmChartLayout(dir, { tag: '0.1.0', name: 'ferry-demo', version: '0.1.0' });
    const creds = `${DEFAULT_USERS[0]!.username}:${DEFAULT_USERS[0]!.password}`;
    await skopeoCopy(`oci:${dir}:0.1.0`, `docker://${reg.host}/charts/ferry-demo:0.1.0`, { creds });
    const raw = await skopeoInspectRaw(`${reg.host}/charts/ferry-demo:0.1.0`, creds);
    const manifest = JSON.parse(raw.toString()) as { config: { mediaType: string }; layers: Array<{ mediaType: string; digest: string }> };
    assert.equal(manifest.config.mediaType, 'application/vnd.cncf.helm.config.v1+json');
    assert.equal(manifest.layers[0]!.mediaType, 'application/vnd.cncf.helm.chart.content.v1.tar+gzip');
    assert.equal(manifest.layers[0]!.digest, chart.chartDigest);
    assert.ok(tokens.requests.some((r) => r.user === 'ferry' && r.scope.some((s) => s.startsWith('repository:charts/ferry-demo:'))));
  });

  test('fault proxy: injected status, resets, PATCH byte count, Host kept for Location', async (t) => {
    if (!canRun(t, 'docker-registry')) return;
    const reg = await registry();
    const proxy: FaultProxy = await startFaultProxy({ host: '127.0.0.1', port: reg.port });
    cleanups.push(() => proxy.stop());
    const seen: string[] = [];
    proxy.onRequest((r) => seen.push(`${r.method} ${r.path}`));

    proxy.inject({ method: 'GET', path: /^\/v2\/$/, action: { kind: 'status', status: 503, retryAfter: '1' } });
    const injected = await fetch(`${proxy.url}/v2/`);
    assert.equal(injected.status, 503);
    assert.equal(injected.headers.get('retry-after'), '1');
    assert.deepEqual(await injected.json(), { errors: [{ code: 'UNAVAILABLE', message: 'injected' }] });
    assert.equal((await fetch(`${proxy.url}/v2/`)).status, 200);

    proxy.inject({ path: /^\/v2\/$/, action: { kind: 'reset-before-response' } });
    await assert.rejects(fetch(`${proxy.url}/v2/`), TypeError);
    assert.equal((await fetch(`${proxy.url}/v2/`)).status, 200);

    // A chunked upload through the proxy: the registry's Location must name the proxy.
    const started = await fetch(`${proxy.url}/v2/ferry/up/blobs/uploads/`, { method: 'POST' });
    assert.equal(started.status, 202);
    const location = started.headers.get('location')!;
    assert.ok(location.startsWith(`${proxy.url}/v2/ferry/up/blobs/uploads/`), location);

    const data = Buffer.alloc(3000, 7);
    const first = await fetch(location, { method: 'PATCH', body: data.subarray(0, 1000), headers: { 'Content-Type': 'application/octet-stream' } });
    assert.equal(first.status, 202);
    assert.equal(first.headers.get('range'), '0-999');
    assert.equal(proxy.stats.patchBytes, 1000);

    // Cut the next PATCH after 500 of its 2000 bytes reach the registry.
    proxy.inject({ method: 'PATCH', action: { kind: 'reset-after-request-bytes', bytes: 500 } });
    await assert.rejects(
      fetch(first.headers.get('location')!, { method: 'PATCH', body: data.subarray(1000), headers: { 'Content-Type': 'application/octet-stream' } }),
    );
    assert.equal(proxy.stats.patchBytes, 1500);

    // Throttled: 2000 bytes at 8000 B/s take about a quarter of a second.
    const fresh = (await fetch(`${proxy.url}/v2/ferry/up/blobs/uploads/`, { method: 'POST' })).headers.get('location')!;
    proxy.throttle(8000);
    const t0 = Date.now();
    const slow = await fetch(fresh, { method: 'PATCH', body: data.subarray(0, 2000), headers: { 'Content-Type': 'application/octet-stream' } });
    assert.equal(slow.status, 202);
    assert.ok(Date.now() - t0 >= 200, `throttled PATCH took ${Date.now() - t0} ms`);
    proxy.throttle(null);

    assert.equal(proxy.stats.methods.PATCH, 3);
    assert.equal(proxy.stats.patchBytes, 3500);
    assert.ok(seen.includes('GET /v2/'));
    const faults = proxy.stats.requests.filter((r) => r.fault !== undefined).map((r) => `${r.method} ${r.status} ${r.fault}`);
    assert.deepEqual(faults, ['GET 503 status', 'GET 0 reset-before-response', 'PATCH 0 reset-after-request-bytes']);
  });
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendEndlessBody, startScriptedServer, type ScriptedServer } from '../testing/scripted-server.js';
import { READ_LIMITS } from './bounded-read.js';
import { RegistryClient, type TransportOptions } from './client.js';
import { credentialSource, type Credential } from './credentials.js';
import { OCI_MANIFEST } from './manifest.js';
import { fetchManifest, fetchSmallBlob } from './pull.js';

const USER: Credential = { username: 'ferry', password: 's3cret-pass' };
const BASIC = `Basic ${Buffer.from(`${USER.username}:${USER.password}`).toString('base64')}`;
const MiB = 1024 * 1024;

type FerryErr = Error & { code?: string };

const servers: ScriptedServer[] = [];
const clients: RegistryClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(servers.map((s) => s.stop()));
});

async function serve(handle: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void, opts: { tls?: boolean } = {}) {
  const server = await startScriptedServer(handle, opts);
  servers.push(server);
  return server;
}

function clientFor(server: ScriptedServer, opts: TransportOptions = {}, credential: Credential | null = null) {
  const given = new Map(credential ? [[server.host, credential]] : []);
  const client = new RegistryClient(server.host, credentialSource({ given, dockerConfig: '/nonexistent/config.json' }), {
    ...(server.certFile ? { caFile: server.certFile } : { plainHttp: true }),
    retry: { attempts: 1 },
    ...opts,
  });
  clients.push(client);
  return client;
}

function answer(res: http.ServerResponse, status: number, headers: Record<string, string> = {}, body = '') {
  res.writeHead(status, headers);
  res.end(body);
}

/** After the client gave up, the server can send nothing more: its connection is gone. */
async function assertStoppedSending(counter: { sent: number }, limit: number) {
  await sleep(200);
  const settled = counter.sent;
  await sleep(300);
  assert.equal(counter.sent, settled, 'the client closed the connection instead of reading on');
  assert.ok(counter.sent < limit + 32 * MiB, `the client read about the limit, not more (${counter.sent} bytes sent, limit ${limit})`);
}

describe('bounded reads: whatever a registry sends, Ferry reads up to a named limit', () => {
  test('an endless manifest stops at the manifest limit with REMOTE, quickly', { timeout: 30_000 }, async () => {
    const counter = { sent: 0 };
    const server = await serve((_req, res, url) => {
      if (url.pathname === '/v2/team/app/manifests/v1') return sendEndlessBody(res, { 'content-type': OCI_MANIFEST }, counter);
      answer(res, 404);
    });
    const started = Date.now();
    await assert.rejects(fetchManifest(clientFor(server), 'team/app', 'v1'), (err: FerryErr) => {
      assert.equal(err.code, 'REMOTE');
      assert.match(err.message, new RegExp(`The manifest ${server.host}/team/app:v1 is larger than 5 MiB, the most Ferry reads of it`));
      return true;
    });
    assert.ok(Date.now() - started < 10_000, 'it fails as soon as the limit passes');
    await assertStoppedSending(counter, READ_LIMITS.manifest);
  });

  test('a manifest that declares a Content-Length over the limit is refused before reading', { timeout: 30_000 }, async () => {
    const counter = { sent: 0 };
    const server = await serve((_req, res) => sendEndlessBody(res, { 'content-type': OCI_MANIFEST, 'content-length': String(64 * 1024 * MiB) }, counter));
    await assert.rejects(fetchManifest(clientFor(server), 'team/app', 'v1'), (err: FerryErr) => err.code === 'REMOTE' && /larger than 5 MiB/.test(err.message));
    await assertStoppedSending(counter, 0);
  });

  test('an endless token answer stops at the token limit with REMOTE', { timeout: 30_000 }, async () => {
    const counter = { sent: 0 };
    const server = await serve((req, res, url) => {
      if (url.pathname === '/token') return sendEndlessBody(res, { 'content-type': 'application/json' }, counter);
      answer(res, 401, { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="hostile"` });
    });
    await assert.rejects(clientFor(server).ping(), (err: FerryErr) => {
      assert.equal(err.code, 'REMOTE');
      assert.match(err.message, new RegExp(`The token service's answer \\(${server.url}/token\\) is larger than 1 MiB`));
      return true;
    });
    await assertStoppedSending(counter, READ_LIMITS.token);
  });

  test('an endless error body is read only in part: the error still arrives, quickly', { timeout: 30_000 }, async () => {
    const counter = { sent: 0 };
    const server = await serve((_req, res) => sendEndlessBody(res, { 'content-type': 'text/plain' }, counter, 400));
    await assert.rejects(
      fetchManifest(clientFor(server), 'team/app', 'v1'),
      (err: FerryErr) => err.code === 'REMOTE' && /answered HTTP 400 \(\{{200}\)/.test(err.message),
    );
    await assertStoppedSending(counter, READ_LIMITS.error);
  });
});

describe('credentials never travel in clear, nor to another host', () => {
  /** A registry that wants a Bearer token from `realm` and accepts only the one issued for the user. */
  function bearerRegistry(realm: () => string) {
    return (_req: http.IncomingMessage, res: http.ServerResponse) => {
      if (_req.headers.authorization === 'Bearer user-token') return answer(res, 200, { 'content-type': 'application/json' }, '{}');
      answer(res, 401, { 'www-authenticate': `Bearer realm="${realm()}",service="hostile"` });
    };
  }
  const tokenService = (req: http.IncomingMessage, res: http.ServerResponse) =>
    answer(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ token: req.headers.authorization === BASIC ? 'user-token' : 'anonymous-token' }));

  test('an HTTPS registry naming an http:// token service: the service gets no credentials, and the error says why', async () => {
    const tokens = await serve(tokenService);
    const registry = await serve(
      bearerRegistry(() => `${tokens.url}/token`),
      { tls: true },
    );
    await assert.rejects(clientFor(registry, {}, USER).ping(), (err: FerryErr) => {
      assert.equal(err.code, 'AUTH');
      assert.match(err.message, new RegExp(`names its token service at ${tokens.url}, over plain HTTP, so Ferry did not send the credentials for ferry there`));
      return true;
    });
    assert.ok(tokens.requests.length >= 1, 'an anonymous token request went (it carries no secret)');
    assert.deepEqual(
      tokens.requests.filter((r) => r.authorization),
      [],
      'no request to the plain-HTTP token service carried credentials',
    );
  });

  test('the same registry with its token service on HTTPS gets the credentials there', async () => {
    let registryUrl = '';
    const registry = await serve(
      (req, res, url) => (url.pathname === '/token' ? tokenService(req, res) : bearerRegistry(() => `${registryUrl}/token`)(req, res)),
      { tls: true },
    );
    registryUrl = registry.url;
    await clientFor(registry, {}, USER).ping();
    assert.ok(registry.requests.some((r) => r.path.startsWith('/token') && r.authorization === BASIC));
  });

  test('a blob GET redirected (307) to another host carries no Authorization there', async () => {
    const bytes = Buffer.from('{"architecture":"amd64","os":"linux"}');
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    const storage = await serve((_req, res) => answer(res, 200, { 'content-type': 'application/octet-stream' }, bytes.toString()));
    const registry = await serve((req, res, url) => {
      if (req.headers.authorization !== BASIC) return answer(res, 401, { 'www-authenticate': 'Basic realm="hostile"' });
      if (url.pathname === `/v2/team/app/blobs/${digest}`) return answer(res, 307, { location: `${storage.url}/object?signed=1` });
      answer(res, 404);
    });
    const got = await fetchSmallBlob(clientFor(registry, {}, USER), 'team/app', {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest,
      size: bytes.length,
    });
    assert.deepEqual(got, bytes);
    assert.ok(
      registry.requests.some((r) => r.path.includes('/blobs/') && r.authorization === BASIC),
      'the registry itself got the credentials',
    );
    assert.deepEqual(storage.requests, [{ method: 'GET', path: '/object?signed=1' }], 'the other host got the request and no Authorization');
  });
});

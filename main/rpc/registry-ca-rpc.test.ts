import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHost, type Host } from '../host/server.js';
import { missingTools, tempDir } from '../testing/cli.js';
import { selfSignedCertificate } from '../testing/certificate.js';
import { loginToHost, WsRpc } from '../testing/ws-client.js';

/**
 * The wizard's CA file travels as a path the user chose with the host's file picker, and the host
 * reads it: a 5 MB CA bundle never meets the WebSocket's message limit.
 */
describe('a registry behind a private CA, through the browser host', async () => {
  const skip = await missingTools(['openssl']);
  let work: string;
  let registry: https.Server;
  let target: string;
  let host: Host;
  let rpc: WsRpc;
  let bigBundle: string;

  before(async () => {
    if (skip) return;
    work = await tempDir('rpc-ca');
    const site = await selfSignedCertificate(work, 'site-registry', { ip: '127.0.0.1' });
    const other = await selfSignedCertificate(work, 'some-other-ca', { ip: '127.0.0.1' });
    registry = https.createServer({ cert: site.cert, key: site.key }, (req, res) => {
      res.writeHead(req.url === '/v2/' ? 200 : 404, { 'Content-Type': 'application/json', 'Docker-Distribution-API-Version': 'registry/2.0' }).end('{}');
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    target = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
    await fs.mkdir(path.join(work, 'pki'));
    bigBundle = path.join(work, 'pki', 'ca-bundle.pem');
    await fs.writeFile(bigBundle, other.cert.repeat(Math.ceil((5 * 1024 * 1024) / other.cert.length)) + site.cert);
    await fs.writeFile(path.join(work, 'pki', 'notes.txt'), 'not a certificate\n');
    await fs.mkdir(path.join(work, 'renderer'));
    await fs.writeFile(path.join(work, 'renderer', 'index.html'), '<!doctype html><title>Ferry</title>');
    host = await startHost({ home: path.join(work, 'home'), rendererDir: path.join(work, 'renderer'), browseRoots: [path.join(work, 'pki')] });
    const session = await loginToHost(host.url);
    rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
  });
  after(async () => {
    rpc?.close();
    await host?.close();
    registry?.close();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('a CA file outside the folders the host offers is refused, naming the field', { skip }, async () => {
    const elsewhere = path.join(work, 'elsewhere', 'ca-bundle.pem');
    await fs.mkdir(path.dirname(elsewhere));
    await fs.copyFile(bigBundle, elsewhere);
    const refused = await rpc.call('registry.test', { target, access: { caFile: elsewhere } });
    assert.equal(refused.ok, false);
    assert.equal(refused.error!.code, 'USAGE');
    assert.match(refused.error!.message, /^caFile: .*ca-bundle\.pem/);
  });

  test('a chosen 5 MB CA bundle reaches the registry; without it the certificate is not trusted', { skip }, async () => {
    assert.ok((await fs.stat(bigBundle)).size > 5 * 1024 * 1024);
    const listed = await rpc.call('fs.list', { path: path.join(work, 'pki'), includeFiles: true });
    assert.equal(listed.ok, true, listed.error?.message);
    const trusted = await rpc.call('registry.test', { target, access: { caFile: bigBundle } });
    assert.equal(trusted.ok, true, trusted.error?.message);
    assert.equal(trusted.result.registry, target);
    const untrusted = await rpc.call('registry.test', { target });
    assert.equal(untrusted.ok, false);
    assert.match(untrusted.error!.message, /certificate/i);
  });

  test('a chosen file holding no certificate is refused, naming the file', { skip }, async () => {
    const notes = await rpc.call('registry.test', { target, access: { caFile: path.join(work, 'pki', 'notes.txt') } });
    assert.equal(notes.ok, false);
    assert.equal(notes.error!.code, 'INVALID_INPUT');
    assert.match(notes.error!.message, /notes\.txt holds no PEM certificate/);
  });
});

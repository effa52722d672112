import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startHost } from './server.js';
import { contentSecurityPolicy, readRendererFile, resolveRendererPath } from './static.js';
import { loginToHost } from '../testing/ws-client.js';

test('static paths stay inside the renderer folder, whatever the spelling of the root or the request', () => {
  for (const root of ['/srv/ferry/renderer', '/srv/ferry/renderer/']) {
    assert.equal(resolveRendererPath(root, '/'), path.join('/srv/ferry/renderer', 'index.html'));
    assert.equal(resolveRendererPath(root, '/assets/'), path.join('/srv/ferry/renderer', 'assets', 'index.html'));
    assert.equal(resolveRendererPath(root, '/assets/index-1.js'), path.join('/srv/ferry/renderer', 'assets', 'index-1.js'));
    for (const hostile of [
      '/../secret',
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/x',
      '/assets/..\\..\\x',
      '/a%00b',
      '/%E0%A4%A',
      '//etc/passwd',
      '/C:/Windows/win.ini',
      'relative',
    ]) {
      assert.equal(resolveRendererPath(root, hostile), null, hostile);
    }
  }
});

test('a link in the renderer folder is served only when it stays inside; folders are not files', async () => {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-static-'));
  try {
    const root = path.join(work, 'renderer');
    await fs.mkdir(path.join(root, 'assets'), { recursive: true });
    await fs.writeFile(path.join(root, 'index.html'), '<!doctype html>');
    await fs.writeFile(path.join(root, 'assets', 'a.js'), 'export {};');
    await fs.writeFile(path.join(work, 'secret.txt'), 'not for the browser');
    await fs.symlink(path.join(work, 'secret.txt'), path.join(root, 'leak.txt'));
    await fs.symlink(work, path.join(root, 'up'));
    await fs.symlink('assets/a.js', path.join(root, 'alias.js'));

    assert.equal(await readRendererFile(root, '/leak.txt'), null, 'a link to a file outside');
    assert.equal(await readRendererFile(root, '/up/secret.txt'), null, 'a link to a folder outside');
    assert.equal(await readRendererFile(root, '/assets'), null, 'a folder');
    assert.equal(await readRendererFile(root, '/missing.js'), null);
    const alias = await readRendererFile(root, '/alias.js');
    assert.equal(alias?.body.toString(), 'export {};');
    assert.equal(alias?.type, 'text/javascript; charset=utf-8');
    assert.equal((await readRendererFile(root, '/'))?.type, 'text/html; charset=utf-8');

    const host = await startHost({ home: path.join(work, 'home'), rendererDir: root });
    try {
      const session = await loginToHost(host.url);
      const get = (p: string) => fetch(`http://127.0.0.1:${host.port}${p}`, { headers: { Cookie: session.cookie } });
      assert.equal((await get('/leak.txt')).status, 404, 'the browser host refuses the link out too');
      const page = await get('/');
      assert.equal(page.status, 200);
      assert.equal(
        page.headers.get('content-security-policy'),
        contentSecurityPolicy(["'self'", `ws://127.0.0.1:${host.port}`, `ws://localhost:${host.port}`]),
      );
    } finally {
      await host.close();
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { contentSecurityPolicy, contentTypeFor, isInsideRoot } from '../main/host/static.js';
import { CONTENT_SECURITY_POLICY, resolveAppUrl, securityHeaders } from './protocol-path.js';

const root = path.resolve('/srv/ferry/dist/renderer');

test('app://ferry/ URLs map to files inside the renderer root', () => {
  assert.equal(resolveAppUrl(root, 'app://ferry/index.html'), path.join(root, 'index.html'));
  assert.equal(resolveAppUrl(root, 'app://ferry/'), path.join(root, 'index.html'));
  assert.equal(resolveAppUrl(root, 'app://ferry/assets/index-3f2a.js'), path.join(root, 'assets', 'index-3f2a.js'));
  assert.equal(resolveAppUrl(root, 'app://ferry/assets/'), path.join(root, 'assets', 'index.html'));
  assert.equal(resolveAppUrl(root, 'app://ferry/fonts/Roboto%20Mono.woff2'), path.join(root, 'fonts', 'Roboto Mono.woff2'));
  assert.equal(resolveAppUrl(root, 'app://ferry/index.html?x=1#top'), path.join(root, 'index.html'));
  // The URL parser folds dot segments that stay inside the root; that is harmless.
  assert.equal(resolveAppUrl(root, 'app://ferry/assets/../index.html'), path.join(root, 'index.html'));
});

const inside = (file: string): boolean => isInsideRoot(root, file);

test('the containment backstop: only paths strictly inside the root', () => {
  assert.equal(isInsideRoot('/srv/r', '/srv/r/index.html', path.posix), true);
  assert.equal(isInsideRoot('/srv/r', '/srv/r/..foo/x', path.posix), true);
  assert.equal(isInsideRoot('/srv/r', '/srv/r', path.posix), false);
  assert.equal(isInsideRoot('/srv/r', '/srv/r/../r2/x', path.posix), false);
  assert.equal(isInsideRoot('/srv/r', '/srv/rx/index.html', path.posix), false);
  assert.equal(isInsideRoot('/srv/r', '/etc/passwd', path.posix), false);
  assert.equal(isInsideRoot('C:\\app\\r', 'C:\\app\\r\\a.js', path.win32), true);
  assert.equal(isInsideRoot('C:\\app\\r', 'D:\\app\\r\\a.js', path.win32), false);
  assert.equal(isInsideRoot('C:\\app\\r', 'C:\\app\\r\\..\\..\\x', path.win32), false);
});

test('dot segments, plain or %2e-encoded, are clamped at the root as Chromium does: never outside', () => {
  for (const [url, expected] of [
    ['app://ferry/../../../../etc/passwd', 'etc/passwd'],
    ['app://ferry/%2e%2e/%2e%2e/etc/passwd', 'etc/passwd'],
    ['app://ferry/assets/.%2e/.%2E/%2e./index.html', 'index.html'],
    ['app://ferry/./assets/./a.js', 'assets/a.js'],
  ] as const) {
    const file = resolveAppUrl(root, url);
    assert.equal(file, path.join(root, ...expected.split('/')), url);
    assert.ok(file !== null && inside(file), url);
  }
});

test('traversal that decoding would reveal is refused', () => {
  for (const url of [
    'app://ferry/..%2f..%2f..%2fetc%2fpasswd',
    'app://ferry/a%2f..%2fb',
    'app://ferry/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    'app://ferry/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fmain%2fengine.js',
    'app://ferry/..%5c..%5cwindows%5cwin.ini',
    'app://ferry/assets%5c..%5c..%5csecret',
    'app://ferry/%2fetc%2fpasswd',
    'app://ferry//etc/passwd',
    'app://ferry/C:/Windows/win.ini',
    'app://ferry/C%3a%5cWindows%5cwin.ini',
    'app://ferry/index.html%00.png',
    'app://ferry/%E0%A4%A', // a malformed escape
  ]) {
    assert.equal(resolveAppUrl(root, url), null, url);
  }
});

test('traversal is refused under Windows path rules too', () => {
  const winRoot = 'C:\\Program Files\\Ferry\\resources\\app.asar\\dist\\renderer';
  assert.equal(resolveAppUrl(winRoot, 'app://ferry/assets/a.js', path.win32), path.win32.join(winRoot, 'assets', 'a.js'));
  for (const url of [
    'app://ferry/..%5c..%5c..%5cWindows%5cwin.ini',
    'app://ferry/C:%5cWindows%5cwin.ini',
    'app://ferry/C:/Windows/win.ini',
    'app://ferry/D:secret.txt',
    'app://ferry/%5c%5cserver%5cshare%5cx',
    'app://ferry/..%2f..%2fsecret',
  ]) {
    assert.equal(resolveAppUrl(winRoot, url, path.win32), null, url);
  }
});

test('other schemes, hosts, ports and credentials are refused', () => {
  for (const url of [
    'https://ferry/index.html',
    'file:///srv/ferry/dist/renderer/index.html',
    'app://evil/index.html',
    'app://ferry.evil.example/index.html',
    'app://ferryx/index.html',
    'app://ferry:8080/index.html',
    'app://user:pw@ferry/index.html',
    'app:index.html',
    'not a url',
    '',
  ]) {
    assert.equal(resolveAppUrl(root, url), null, url);
  }
});

test('content types and the CSP on every response', () => {
  assert.equal(contentTypeFor('/x/index.html'), 'text/html; charset=utf-8');
  assert.equal(contentTypeFor('/x/assets/a.JS'), 'text/javascript; charset=utf-8');
  assert.equal(contentTypeFor('/x/a.css'), 'text/css; charset=utf-8');
  assert.equal(contentTypeFor('/x/a.svg'), 'image/svg+xml');
  assert.equal(contentTypeFor('/x/a.woff2'), 'font/woff2');
  assert.equal(contentTypeFor('/x/a.bin'), 'application/octet-stream');
  assert.equal(
    CONTENT_SECURITY_POLICY,
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  const headers = securityHeaders();
  assert.equal(headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
  assert.equal(headers['X-Content-Type-Options'], 'nosniff');
});

test('one CSP builder for both faces: app:// and the browser host differ only in connect-src', () => {
  const browser = contentSecurityPolicy(["'self'", 'ws://127.0.0.1:4000']);
  assert.equal(CONTENT_SECURITY_POLICY.replace("connect-src 'none'", "connect-src 'self' ws://127.0.0.1:4000"), browser);
  assert.equal(CONTENT_SECURITY_POLICY, contentSecurityPolicy());
});

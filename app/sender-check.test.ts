import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTrustedSender } from './sender-check.js';

test("the main frame of Ferry's own pages is trusted", () => {
  assert.equal(isTrustedSender('app://ferry/index.html', true), true);
  assert.equal(isTrustedSender('app://ferry/', true), true);
  assert.equal(isTrustedSender('app://ferry/index.html#/export?step=2', true), true);
});

test('subframes are refused, even of our own origin', () => {
  assert.equal(isTrustedSender('app://ferry/index.html', false), false);
});

test('other origins and missing URLs are refused', () => {
  for (const url of [
    undefined,
    '',
    'about:blank',
    'app://ferry',
    'app://evil/index.html',
    'app://ferry.evil.example/index.html',
    'app://ferryx/index.html',
    'app://ferry:1234/index.html',
    'app://ferry@evil/index.html',
    'APP://FERRY/index.html',
    'https://ferry/index.html',
    'https://example.com/app://ferry/',
    'http://127.0.0.1:5173/',
    'file:///opt/Ferry/resources/app.asar/dist/renderer/index.html',
    'devtools://devtools/bundled/inspector.html',
    'chrome-error://chromewebdata/',
    'data:text/html,<script>ferryBridge.invoke("ledger.list",{})</script>',
    'blob:app://ferry/0b9d6c1e',
  ]) {
    assert.equal(isTrustedSender(url, true), false, String(url));
  }
});

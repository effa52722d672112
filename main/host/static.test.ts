import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { resolveStaticPath } from './static.js';

test('static paths stay inside the renderer folder, whatever the spelling of the root or the request', () => {
  for (const root of ['/srv/ferry/renderer', '/srv/ferry/renderer/']) {
    assert.equal(resolveStaticPath(root, '/'), path.join('/srv/ferry/renderer', 'index.html'));
    assert.equal(resolveStaticPath(root, '/assets/index-1.js'), path.join('/srv/ferry/renderer', 'assets', 'index-1.js'));
    for (const hostile of ['/../secret', '/..%2f..%2fetc%2fpasswd', '/%2e%2e/x', '/assets/..\\..\\x', '/a%00b', '/%E0%A4%A']) {
      assert.equal(resolveStaticPath(root, hostile), null, hostile);
    }
  }
});

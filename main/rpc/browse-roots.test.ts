import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { browseRoots, insideRoots } from './browse-roots.js';
import { PathGrants } from './grants.js';

async function tempTree() {
  const top = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-roots-')));
  const home = path.join(top, 'home');
  const media = path.join(top, 'media');
  const outside = path.join(top, 'outside');
  for (const dir of [home, path.join(media, 'usb'), outside]) await fs.mkdir(dir, { recursive: true });
  return { top, home, media, outside };
}

test('the roots are the folders that exist, each once, links resolved', async () => {
  const t = await tempTree();
  await fs.symlink(t.home, path.join(t.top, 'home-link'));
  const roots = browseRoots({
    home: path.join(t.top, 'home-link'),
    mediaMounts: [t.media, path.join(t.top, 'no-such-mount')],
    stores: [{ path: path.join(t.home), label: 'Ollama store' }],
    extra: [t.outside],
  });
  assert.deepEqual(roots, [
    { path: t.home, label: 'Home' },
    { path: t.media, label: 'Removable media' },
    { path: t.outside, label: 'Added' },
  ]);
});

test('a removable disk mounted after the host started is offered: the roots are read at each use', async () => {
  const t = await tempTree();
  const later = path.join(t.top, 'run-media-user');
  const grants = new PathGrants({ mode: 'roots', roots: () => browseRoots({ home: t.home, mediaMounts: [later] }) });
  assert.throws(() => grants.check(path.join(later, 'USB'), 'dir'), /outside the folders Ferry offers here/);
  await fs.mkdir(path.join(later, 'USB'), { recursive: true });
  assert.equal(grants.check(path.join(later, 'USB'), 'dir'), path.join(later, 'USB'));
});

test('a path inside a root is accepted (also one not created yet); outside, or through a link leading out, it is refused naming the field', async () => {
  const t = await tempTree();
  const roots = browseRoots({ home: t.home, mediaMounts: [t.media] });
  assert.equal(insideRoots(roots, path.join(t.media, 'usb'), 'dir'), path.join(t.media, 'usb'));
  assert.equal(insideRoots(roots, path.join(t.home, 'new', 'bundle'), 'destination'), path.join(t.home, 'new', 'bundle'));
  assert.throws(
    () => insideRoots(roots, t.outside, 'toDir'),
    (err: Error & { code?: string }) => {
      assert.equal(err.code, 'USAGE');
      assert.match(err.message, /^toDir: .*outside the folders Ferry offers here/);
      return true;
    },
  );
  await fs.symlink(t.outside, path.join(t.home, 'way-out'));
  assert.throws(() => insideRoots(roots, path.join(t.home, 'way-out', 'x'), 'store'), /store: .* is outside/);
  assert.throws(() => insideRoots(roots, path.join(t.home, '..', 'outside'), 'dir'), /is outside/);
});

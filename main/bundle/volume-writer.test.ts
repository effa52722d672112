import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../testing/cli.js';
import { FerryError } from '../util/errors.js';
import { partialName, VolumeWriter } from './volume-writer.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

test('abort while a write is in flight closes the volume once, raises nothing, and leaves nothing behind (Cancel mid-export)', async () => {
  const stray: unknown[] = [];
  const onStray = (err: unknown) => stray.push(err);
  process.on('uncaughtException', onStray);
  try {
    for (let round = 0; round < 20; round++) {
      const dir = await tempDir('volume-abort');
      dirs.push(dir);
      const size = 64 * 1024 * 1024;
      const writer = new VolumeWriter(dir, 'cancelled', size, size);
      // A volume is open and part written, which is where a cancelled export finds it; every other
      // round, with more chunks behind the first.
      await writer.write(Buffer.alloc(256 * 1024 + round * 4096, round));
      if (round % 2 === 1) for (let i = 0; i < 16; i++) await writer.write(Buffer.alloc(256 * 1024, i));
      await writer.abort();
      await sleep(20);
      assert.deepEqual(await fs.readdir(dir), [], `round ${round}: the partial volume is removed`);
    }
    assert.deepEqual(
      stray.map((e) => (e as Error).message),
      [],
      'no error escaped the writer',
    );
  } finally {
    process.off('uncaughtException', onStray);
  }
});

test('a link planted under a volume’s hidden name is not written through: the export fails naming the volume, the file it points at untouched', async () => {
  const dir = await tempDir('volume-link');
  dirs.push(dir);
  const outside = path.join(dir, 'outside.txt');
  await fs.writeFile(outside, 'not Ferry’s to overwrite');
  const bundle = path.join(dir, 'bundle');
  await fs.mkdir(bundle);
  await fs.symlink(outside, path.join(bundle, partialName('linked.tar.001')));
  const writer = new VolumeWriter(bundle, 'linked', 1024, 1024);
  await assert.rejects(writer.write(Buffer.alloc(1024, 1)), (err: unknown) => {
    assert.ok(err instanceof FerryError && err.code === 'IO', String(err));
    assert.match(err.message, /^Could not write volume linked\.tar\.001 in .*bundle \(ELOOP/);
    return true;
  });
  await writer.abort();
  assert.equal(await fs.readFile(outside, 'utf8'), 'not Ferry’s to overwrite');
});

import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { FerryError } from '../util/errors.js';
import { checkFreeSpace } from './export.js';

test('a destination without room is refused before anything is written, naming the folder and the sizes', async () => {
  const dir = os.tmpdir();
  await checkFreeSpace(dir, 1024);
  await assert.rejects(checkFreeSpace(dir, Number.MAX_SAFE_INTEGER), (err: unknown) => {
    assert.ok(err instanceof FerryError);
    assert.equal(err.code, 'NO_SPACE');
    assert.ok(err.message.includes(dir) && /needs/.test(err.message));
    return true;
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError } from '../util/errors.js';
import { parseVolumeSize } from './volume-size.js';

test('presets, units and plain bytes', () => {
  assert.equal(parseVolumeSize('fat32'), 4 * 1024 ** 3 - 1);
  assert.equal(parseVolumeSize('dvd'), 4_700_000_000);
  assert.equal(parseVolumeSize('DVD-DL'), 8_500_000_000);
  assert.equal(parseVolumeSize('bd25'), 25_000_000_000);
  assert.equal(parseVolumeSize('bd50'), 50_000_000_000);
  assert.equal(parseVolumeSize('bd100'), 100_000_000_000);
  assert.equal(parseVolumeSize('700MiB'), 700 * 1024 ** 2);
  assert.equal(parseVolumeSize('4.7GB'), 4_700_000_000);
  assert.equal(parseVolumeSize('2 GiB'), 2 * 1024 ** 3);
  assert.equal(parseVolumeSize('10485760'), 10_485_760);
});

test('nonsense and tiny sizes are usage errors naming the value', () => {
  for (const bad of ['floppy', '-5', '12XB', '', '1KiB']) {
    assert.throws(
      () => parseVolumeSize(bad),
      (err: unknown) => err instanceof FerryError && err.code === 'USAGE' && err.message.includes(`"${bad}"`),
    );
  }
});

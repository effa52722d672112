import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, readVolumeSize } from './sizes.js';

test('a typed volume size reads the same on every face, and each problem is named', () => {
  assert.deepEqual(readVolumeSize(' 700MiB '), { bytes: 700 * 1024 ** 2 });
  assert.deepEqual(readVolumeSize('4.7GB'), { bytes: 4_700_000_000 });
  assert.deepEqual(readVolumeSize(''), { problem: 'empty' });
  assert.deepEqual(readVolumeSize('big'), { problem: 'not-a-size' });
  assert.deepEqual(readVolumeSize('1000k'), { problem: 'below-minimum' });
  assert.deepEqual(readVolumeSize('99999999tib'), { problem: 'too-large' });
});

test('sizes read in binary units with three significant digits', () => {
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1.46 * 1024 ** 3), '1.46 GiB');
  assert.equal(formatBytes(Number.NaN), '—');
});

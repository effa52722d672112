import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toEnvelope } from './errors.js';

test('a stop through signal.throwIfAborted() is CANCELLED, not an internal error', () => {
  const signal = AbortSignal.abort();
  let thrown: unknown;
  try {
    signal.throwIfAborted();
  } catch (err) {
    thrown = err;
  }
  assert.equal(toEnvelope(thrown).code, 'CANCELLED');
});

test('a file system error nobody worded says what to do next, keeping the path and errno', async () => {
  const err = await import('node:fs/promises').then((fs) => fs.readFile('/nonexistent-ferry-folder/BUNDLE.json')).catch((e: unknown) => e);
  const envelope = toEnvelope(err);
  assert.equal(envelope.code, 'IO');
  assert.equal(
    envelope.message,
    "ENOENT: no such file or directory, open '/nonexistent-ferry-folder/BUNDLE.json': it does not exist (a drive unplugged, a folder moved or a typo); check the path",
  );
  assert.deepEqual(envelope.details, { errno: 'ENOENT', path: '/nonexistent-ferry-folder/BUNDLE.json' });
});

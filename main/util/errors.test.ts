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

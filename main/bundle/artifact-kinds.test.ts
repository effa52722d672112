import assert from 'node:assert/strict';
import { test } from 'node:test';
import { artifactRefProblem } from './artifact-ref.js';

// No main/kinds.js here: a process whose entry point forgot the registration must fail loudly, not accept any ref.
test('an unregistered kind is refused with an error that names the missing registration', () => {
  assert.throws(
    () => artifactRefProblem('image', 'registry.example/app:1'),
    (err: Error & { code?: string }) => err.code === 'INTERNAL' && /image is not registered/.test(err.message) && /main\/kinds\.js/.test(err.message),
  );
});

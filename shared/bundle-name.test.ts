import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BundleName } from './bundle.js';
import { bundleNameProblem } from './bundle-name.js';

test("the wizard's bundle name check and the contract's BundleName accept the same names", () => {
  const names = ['', 'a', 'models-2026.05_a', '.hidden', '-dash', 'has space', 'ünicode', 'x'.repeat(80), 'x'.repeat(81), 'a/b'];
  for (const name of names) assert.equal(bundleNameProblem(name) === null, BundleName.safeParse(name).success, name);
  assert.equal(bundleNameProblem(''), 'Give the bundle a name.');
  assert.equal(bundleNameProblem('x'.repeat(81)), 'At most 80 characters.');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { methods } from '../rpc.js';
import { mergeMethodTables } from './method-table.js';

const spec = { params: z.object({}), result: z.object({}) };

test('the features are merged into one contract; a method two features both name is refused, naming it', () => {
  const merged = mergeMethodTables({ 'a.one': spec }, { 'b.two': spec });
  assert.deepEqual(Object.keys(merged), ['a.one', 'b.two']);
  assert.throws(() => mergeMethodTables({ 'a.one': spec }, { 'a.one': spec }), /names the method a\.one twice/);
});

test("every method's name starts with its feature and the contract holds all of them", () => {
  const names = Object.keys(methods);
  assert.ok(names.length >= 39, `${names.length} methods`);
  for (const name of names) assert.match(name, /^[a-z]+\.[a-zA-Z]+$/);
});

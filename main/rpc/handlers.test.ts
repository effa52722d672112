import assert from 'node:assert/strict';
import { test } from 'node:test';
import { methods } from '../../shared/rpc.js';
import { composeHandlers, handlers } from './handlers.js';

test('every method of the contract has exactly one implementation', () => {
  assert.deepEqual(Object.keys(handlers).sort(), Object.keys(methods).sort());
  const all = Object.fromEntries(Object.entries(handlers));
  const { 'app.ping': ping, ...rest } = all;
  assert.throws(() => composeHandlers(all, { 'app.ping': ping }), /Two features implement the method app\.ping/);
  assert.throws(() => composeHandlers(rest), /No feature implements the method app\.ping/);
  assert.throws(() => composeHandlers(all, { 'app.reboot': ping }), /app\.reboot is not in the contract/);
});

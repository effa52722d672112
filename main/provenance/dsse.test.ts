import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { openEnvelope, parseEnvelope, preAuthEncoding, signEnvelope } from './dsse.js';

test("the pre-authentication encoding is the DSSE specification's", () => {
  // The specification's own example: PAE("http://example.com/HelloWorld", "hello world").
  assert.equal(
    preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString(),
    'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
  );
  // Lengths are of bytes, not characters.
  assert.equal(preAuthEncoding('t', Buffer.from('é')).toString(), 'DSSEv1 1 t 2 é');
});

test('an envelope opens with the key that signed it, not with another, and not once its payload changed', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
  const envelope = signEnvelope(Buffer.from('{"a":1}'), privateKey);
  assert.equal(openEnvelope(envelope, publicKey)?.toString(), '{"a":1}');
  assert.equal(openEnvelope(envelope, other), undefined);
  assert.equal(openEnvelope({ ...envelope, payload: Buffer.from('{"a":2}').toString('base64') }, publicKey), undefined);
  assert.equal(openEnvelope({ ...envelope, payloadType: 'application/json' }, publicKey), undefined, 'the type is signed too');
  assert.deepEqual(parseEnvelope(Buffer.from(JSON.stringify(envelope))), envelope);
  assert.equal(parseEnvelope(Buffer.from('not json')), undefined);
});

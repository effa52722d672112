import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from './canonical-json.js';

test('RFC 8785: sorted keys by UTF-16 code units, no whitespace, ES number and string forms', () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 0, y: -0 } }), '{"a":[true,null,"x"],"b":1,"c":{"y":0,"z":0}}');
  // The example of RFC 8785 section 3.2.3: UTF-16 order puts U+1F600 (a surrogate pair) before U+FB33.
  const rfc = { '\u20ac': 'Euro', '\r': 'CR', '\ufb33': 'Dalet', '1': 'One', '\ud83d\ude00': 'Emoji', '\u0080': 'Control', '\u00f6': 'o' };
  assert.equal(canonicalJson(rfc), '{"\\r":"CR","1":"One","\u0080":"Control","\u00f6":"o","\u20ac":"Euro","\ud83d\ude00":"Emoji","\ufb33":"Dalet"}');
  // eslint-disable-next-line no-loss-of-precision -- RFC 8785's own test vector rounds this literal
  assert.equal(canonicalJson([1e21, 1.5e-7, 333333333.33333329, 4.5]), '[1e+21,1.5e-7,333333333.3333333,4.5]');
  assert.equal(canonicalJson('tab\tnewline\n"quote"'), '"tab\\tnewline\\n\\"quote\\""');
  assert.equal(canonicalJson({ gone: undefined, kept: 1 }), '{"kept":1}');
});

test('values JSON cannot hold are refused', () => {
  assert.throws(() => canonicalJson(Number.NaN));
  assert.throws(() => canonicalJson(Infinity));
  assert.throws(() => canonicalJson(10n));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cosignTag, fallbackTag, referrerOf } from './referrers.js';

const subject = `sha256:${'ab'.repeat(32)}`;

test("cosign's tags and the referrers fallback tag are named after the subject digest", () => {
  assert.equal(fallbackTag(subject), `sha256-${'ab'.repeat(32)}`);
  assert.equal(cosignTag(subject, '.sig'), `sha256-${'ab'.repeat(32)}.sig`);
});

test('a manifest names a referrer subject only with a sha256 digest: anything else never reaches a URL', () => {
  const manifest = (digest: string) =>
    Buffer.from(JSON.stringify({ schemaVersion: 2, artifactType: 'application/spdx+json', subject: { digest, size: 2, mediaType: 'x' }, layers: [] }));
  const good = referrerOf({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'cd'.repeat(32)}`, manifest: manifest(subject) });
  assert.equal(good?.digest, subject);
  assert.equal(good?.descriptor.artifactType, 'application/spdx+json');
  for (const hostile of ['../../v2/other/manifests/latest', 'sha256:../x', `sha512:${'ab'.repeat(64)}`])
    assert.equal(referrerOf({ mediaType: 'x', digest: subject, manifest: manifest(hostile) }), undefined, hostile);
  assert.equal(referrerOf({ mediaType: 'x', digest: subject, manifest: Buffer.from('{"layers":[]}') }), undefined);
});

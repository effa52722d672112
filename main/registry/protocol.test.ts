import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChallenge } from './auth.js';
import { parseManifest, parsePlatform, platformMatches } from './manifest.js';
import { confirmedOffset } from './push-blob.js';
import type { RegistryResponse } from './client.js';
import { valuesSnippet } from './values.js';

test('WWW-Authenticate challenges parse for Basic and Bearer', () => {
  assert.deepEqual(parseChallenge('Basic realm="ferry-test"'), { scheme: 'basic' });
  assert.deepEqual(parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"'), {
    scheme: 'bearer',
    realm: 'https://auth.example/token',
    service: 'registry.example',
  });
  assert.equal(parseChallenge('Bearer service="x"'), null, 'a Bearer challenge without a realm is unusable');
  assert.equal(parseChallenge('Negotiate abc'), null);
});

const withRange = (range: string | undefined) => ({ headers: range === undefined ? {} : { range } }) as unknown as RegistryResponse;

test('the confirmed upload offset reads both Range forms, and 0-0 as nothing', () => {
  assert.equal(confirmedOffset(withRange('0-1048575')), 1048576);
  assert.equal(confirmedOffset(withRange('bytes=0-99')), 100);
  assert.equal(confirmedOffset(withRange('0-0')), 0);
  assert.equal(confirmedOffset(withRange(undefined)), null);
  assert.equal(confirmedOffset(withRange('5-10')), null);
});

test('platforms match with and without variants', () => {
  assert.ok(platformMatches(parsePlatform('linux/arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' }));
  assert.ok(!platformMatches(parsePlatform('linux/arm/v6'), { os: 'linux', architecture: 'arm', variant: 'v7' }));
  assert.ok(!platformMatches(parsePlatform('linux/amd64'), undefined));
  assert.throws(() => parsePlatform('amd64'), /OS\/ARCH/);
});

test('manifests: indexes and images are told apart, and non-sha256 digests refused', () => {
  const digest = `sha256:${'b'.repeat(64)}`;
  const index = parseManifest(
    Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'x', digest, size: 3 }] })),
    'application/vnd.oci.image.index.v1+json',
    'idx',
  );
  assert.equal(index.kind, 'index');
  const image = parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 2, config: { mediaType: 'c', digest, size: 2 }, layers: [] })), undefined, 'img');
  assert.equal(image.kind, 'manifest');
  assert.throws(() => parseManifest(Buffer.from(JSON.stringify({ schemaVersion: 1 })), undefined, 'old'), /schema version 1/);
  assert.throws(
    () =>
      parseManifest(
        Buffer.from(JSON.stringify({ schemaVersion: 2, config: { mediaType: 'c', digest: `sha512:${'c'.repeat(128)}`, size: 2 }, layers: [] })),
        undefined,
        'img',
      ),
    /not sha256/,
  );
});

test('the values snippet gives repository, tag and digest per image, with distinct keys', () => {
  const digest = `sha256:${'d'.repeat(64)}`;
  const pushed = [
    {
      kind: 'image' as const,
      ref: 'docker.io/library/nginx:1.27',
      destination: 'h.lan/air/library/nginx:1.27',
      registry: 'h.lan',
      repository: 'air/library/nginx',
      tag: '1.27',
      digest,
      blobsUploaded: 1,
      blobsPresent: 0,
    },
    {
      kind: 'image' as const,
      ref: 'ghcr.io/a/nginx:2',
      destination: 'h.lan/air/a/nginx:2',
      registry: 'h.lan',
      repository: 'air/a/nginx',
      tag: '2',
      digest,
      blobsUploaded: 1,
      blobsPresent: 0,
    },
    {
      kind: 'ollama-model' as const,
      ref: 'registry.ollama.ai/library/granite4.1:8b',
      destination: 'h.lan/air/granite4.1:8b',
      registry: 'h.lan',
      repository: 'air/granite4.1',
      tag: '8b',
      digest,
      blobsUploaded: 1,
      blobsPresent: 0,
      pull: 'ollama pull h.lan/air/granite4.1:8b',
    },
    {
      kind: 'helm-chart' as const,
      ref: 'ghcr.io/a/charts/app:1.2.0',
      destination: 'h.lan/air/a/charts/app:1.2.0',
      registry: 'h.lan',
      repository: 'air/a/charts/app',
      tag: '1.2.0',
      digest,
      blobsUploaded: 1,
      blobsPresent: 0,
    },
  ];
  const text = valuesSnippet(pushed, { bundleDigest: digest, target: 'h.lan/air', ferryVersion: '0.1.0' });
  assert.match(
    text,
    /^"library\/nginx":\n {2}# from docker\.io\/library\/nginx:1\.27\n {2}image:\n {4}repository: "h\.lan\/air\/library\/nginx"\n {4}tag: "1\.27"\n {4}digest: "sha256:d{64}"$/m,
  );
  assert.match(text, /^"a\/nginx":$/m);
  assert.match(text, /^# {3}helm-chart: oci:\/\/h\.lan\/air\/a\/charts\/app:1\.2\.0@sha256:d{64}/m);
  assert.match(text, /^# {3}ollama pull h\.lan\/air\/granite4\.1:8b {3}\(from registry\.ollama\.ai\/library\/granite4\.1:8b, sha256:d{64}\)$/m);
  assert.doesNotMatch(text, /ollama-model: oci:/, 'a model is listed by its pull command, not as an OCI artifact');
});

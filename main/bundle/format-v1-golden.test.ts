import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { filesArtifact } from '../files/artifact.js';
import { ollamaArtifact } from '../ollama/artifact.js';
import { readModel } from '../ollama/store.js';
import { tempDir } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { canonicalJson } from '../util/canonical-json.js';
import { blobEntryName, planBundle, type ArtifactInput } from './plan.js';
import { fileHeader } from './tar.js';
import { writeVolumes } from './write.js';

/*
 * Bundle format v1 promises byte-identical volumes for the same input. The digests below were
 * recorded from bundles written by the writer of format v1 (commit 0c5b727): a change to the tar
 * writer, the plan's offsets or an artifact encoding that alters one byte fails here. If this fails,
 * the change breaks format v1; do not update the constants unless the format version changes too.
 */
const GOLDEN = {
  tarSize: 86016,
  volumes: [
    { file: 'golden.tar.001', size: 16384, sha256: '46c67b4e00d729ff4b2b0605467bafe3c37d3fc7bea123ba5c386dae7229fcc5' },
    { file: 'golden.tar.002', size: 16384, sha256: '707d9f7e7fe0640d0775ac0609c08e598665af870c7bd60a5af4bbdb69cf97ad' },
    { file: 'golden.tar.003', size: 16384, sha256: '1f30bf69ede37f2f548a68297b8441b37c761cff014e06d0fec67a73566aa3bb' },
    { file: 'golden.tar.004', size: 16384, sha256: '2ba7a52e832eb2f302b19ddb194139fb5fb642c2a28d480cc7daaecb4430e53e' },
    { file: 'golden.tar.005', size: 16384, sha256: '7de6b58b6063a2e6ab0d0bd6825e6480e51e38d9464f0aba57e4f0bd38db71f0' },
    { file: 'golden.tar.006', size: 4096, sha256: '6c7cb294c4052eaf28c1c4829e030a9e983a213e899ee049664567f9f535a339' },
  ],
  /** sha256 of canonical JSON of BUNDLE.json's `blobs` (digest, size, data offset in the tar stream). */
  blobsSha256: '012f5b693a68ae3c98af694c2abd43af6c1b9b099b9b04908b4c74696da651b6',
  /** sha256 of canonical JSON of BUNDLE.json's `artifacts`. */
  artifactsSha256: '90dbc2f43e2e8a21d1947b65781588cf8f690b7890e0316dfe617d4acdcf513d',
};
/** A blob of 8 GiB and more: a pax `size` record, then a ustar header with a base-256 size. */
const GOLDEN_BIG = {
  headerSha256: '25a19dddff0429bda7557aa5e58654f621b675c27c500806dbccb4b4374cc973',
  headerBytes: 1536,
  blobsSha256: 'e45c3c66c70a28de4ce8bd1dd3cc05c6fdadf18e817c8f86844cf87b83aab4b7',
};

const VOLUME_SIZE = 16 * 1024; // small, so volume boundaries fall inside headers, data and padding
const BIG = 8 * 1024 ** 3 + 4097;
const LONG_TITLE = 'golden-files/a-folder-name-long-enough-for-the-golden-test/another-nested-folder-with-a-long-name/and-the-file.bin';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** `size` fixed bytes that differ by `seed`: sha256 in counter mode. */
function fixedBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let at = 0, i = 0; at < size; at += 32, i++) createHash('sha256').update(`${seed} ${i}`).digest().copy(out, at);
  return out;
}

/** A tiny fixed Ollama model and a plain-files folder (a path over 100 bytes, an empty file, a file of exactly one block). */
async function fixedInputs(work: string): Promise<ArtifactInput[]> {
  const store = path.join(work, 'store');
  await makeOllamaStore(store, [{ name: 'golden:1', modelBytes: 70_001, license: 'Golden licence\n', template: '{{ .Prompt }}', params: { stop: ['<end>'] } }]);
  const files = path.join(work, 'golden-files');
  const long = path.join(work, LONG_TITLE);
  await fs.mkdir(path.dirname(long), { recursive: true });
  await fs.writeFile(long, fixedBytes('long', 1000));
  await fs.writeFile(path.join(files, 'empty'), '');
  await fs.writeFile(path.join(files, 'one-block'), fixedBytes('block', 512));
  return [ollamaArtifact(await readModel(store, 'golden:1')), await filesArtifact(files)];
}

test('format v1: a fixed input gives the volumes, offsets and artifacts recorded before', async () => {
  const work = await tempDir('golden');
  dirs.push(work);
  const plan = planBundle(await fixedInputs(work));
  // Tar entry names are oci-layout, blobs/sha256/<hex> and index.json: a long file path travels in
  // its manifest's title annotation, never as a tar name (no pax `path` record in format v1).
  assert.ok(Buffer.byteLength(LONG_TITLE) > 100);
  assert.ok(
    plan.entries.some((e) => e.source.kind === 'bytes' && Buffer.from(e.source.bytes).includes(LONG_TITLE)),
    'the files manifest carries the long path',
  );
  assert.ok(plan.entries.every((e) => Buffer.byteLength(e.name) <= 100));
  const out = path.join(work, 'bundle');
  await fs.mkdir(out);
  const volumes = await writeVolumes(plan, { dir: out, name: 'golden', volumeSize: VOLUME_SIZE });

  assert.equal(plan.tarSize, GOLDEN.tarSize, 'tar stream size');
  assert.deepEqual(volumes, GOLDEN.volumes, 'volume files, sizes and sha256');
  assert.equal(sha256(canonicalJson(plan.blobs)), GOLDEN.blobsSha256, `blob offsets: ${JSON.stringify(plan.blobs)}`);
  assert.equal(sha256(canonicalJson(plan.artifacts)), GOLDEN.artifactsSha256, `artifacts: ${JSON.stringify(plan.artifacts)}`);
});

test('format v1: a blob of 8 GiB and more has the header and offsets recorded before (header only, nothing streamed)', () => {
  const manifest = Buffer.from('{"golden":"big"}');
  const digest = `sha256:${'b'.repeat(64)}`;
  const plan = planBundle([
    {
      kind: 'files',
      ref: 'ferry.local/files/big:latest',
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      manifest,
      blobs: [{ digest, size: BIG, source: { kind: 'file', path: '/nonexistent/never-read' }, owner: 'files big' }],
      facts: { files: 1, title: 'big' },
    },
  ]);
  const header = fileHeader(blobEntryName(digest), BIG);
  assert.equal(header.length, GOLDEN_BIG.headerBytes);
  assert.equal(sha256(header), GOLDEN_BIG.headerSha256, `header bytes: ${header.toString('base64')}`);
  assert.equal(sha256(canonicalJson(plan.blobs)), GOLDEN_BIG.blobsSha256, `blob offsets: ${JSON.stringify(plan.blobs)}`);
});

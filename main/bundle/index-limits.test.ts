import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BundleIndex } from '../../shared/bundle.js';
import { canonicalJson } from '../util/canonical-json.js';
import { ferry, tempDir } from '../testing/cli.js';
import { craftBundle, ollamaParts, testSiteKey, type CraftedBundle } from '../testing/crafted-bundle.js';
import type { SiteKey } from '../keys/keys.js';
import { MAX_CARRIED_LINES, MAX_INDEX_BYTES } from './index-limits.js';
import { parseBundleIndex } from './open.js';

describe('BUNDLE.json is bounded before it is parsed', () => {
  let work: string;
  let key: SiteKey;
  let pub: string;
  let clean: CraftedBundle;

  before(async () => {
    work = await tempDir('index-limits');
    key = testSiteKey();
    pub = path.join(work, 'site.pub.pem');
    await fs.writeFile(pub, key.publicKeyPem);
    const inputs = await ollamaParts(path.join(work, 'source'), [{ name: 'acme/tiny:1', modelBytes: 100_000 }]);
    clean = await craftBundle({ dir: path.join(work, 'clean'), signer: key, volumeSize: 1024 * 1024, inputs });
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  test('a deeply nested BUNDLE.json is refused by ferry inspect (which reads it unsigned), text and --json, without a crash', async () => {
    const dir = path.join(work, 'nested');
    await fs.cp(clean.dir, dir, { recursive: true });
    const depth = 200_000;
    const json = canonicalJson(clean.index).replace('"artifacts":[{', `"artifacts":[{"x":${'['.repeat(depth)}${']'.repeat(depth)},`);
    await fs.writeFile(path.join(dir, 'BUNDLE.json'), json);
    for (const args of [
      ['inspect', dir],
      ['inspect', dir, '--json'],
    ]) {
      const result = await ferry(path.join(work, 'home'), args);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stdout.slice(0, 300)} ${result.stderr}`);
      assert.match(result.stderr + result.stdout, /BUNDLE\.json nests arrays and objects deeper than 32 levels \(MAX_INDEX_DEPTH\)/);
    }
  });

  test('an oversized BUNDLE.json is refused before it is read', async () => {
    const dir = path.join(work, 'huge');
    await fs.cp(clean.dir, dir, { recursive: true });
    await fs.truncate(path.join(dir, 'BUNDLE.json'), MAX_INDEX_BYTES + 1); // sparse: costs no disc
    const result = await ferry(path.join(work, 'home'), ['inspect', dir]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, new RegExp(`BUNDLE\\.json is ${MAX_INDEX_BYTES + 1} bytes, more than the ${MAX_INDEX_BYTES} bytes Ferry reads of it`));
  });

  test('a signed bundle carrying too many exporter ledger lines is refused by ferry verify (exit 3)', async () => {
    const lines = Array.from({ length: MAX_CARRIED_LINES + 1 }, (_, i) => `${i + 1}\t${'0'.repeat(64)}\t{"type":"export.started"}`);
    const crafted = await craftBundle({
      dir: path.join(work, 'lines'),
      signer: key,
      volumeSize: 1024 * 1024,
      inputs: await ollamaParts(path.join(work, 'source2'), [{ name: 'acme/tiny:1', modelBytes: 100_000 }]),
      editIndex: (index) => (index.ledger.lines = lines),
    });
    const result = await ferry(path.join(work, 'home'), ['verify', crafted.dir, '--trust', pub]);
    assert.equal(result.code, 3, result.stdout + result.stderr);
    assert.match(result.stderr, /BUNDLE\.json carries 1001 lines, over the limit of 1000 \(MAX_CARRIED_LINES\) of the exporter's ledger/);
  });

  test("a real-sized index fits: 100,000 blobs and a job's carried lines", () => {
    const blobs = Array.from({ length: 100_000 }, (_, i) => ({ digest: `sha256:${i.toString(16).padStart(64, '0')}`, size: 1 << 30, offset: i * 2 ** 31 }));
    const lines = Array.from(
      { length: 20 },
      (_, i) => `${i + 1}\t${'a'.repeat(64)}\t${canonicalJson({ type: 'export.started', artifacts: Array(50).fill('docker.io/library/nginx:1.27.3') })}`,
    );
    const index: BundleIndex = { ...clean.index, blobs, tar: { size: 2 ** 31 * 100_000 }, ledger: { ...clean.index.ledger, lines } };
    const bytes = Buffer.from(canonicalJson(index));
    assert.ok(bytes.length < MAX_INDEX_BYTES / 4, `${bytes.length} bytes leave room`);
    assert.equal(parseBundleIndex(bytes, 'INTEGRITY').blobs.length, 100_000);
  });
});

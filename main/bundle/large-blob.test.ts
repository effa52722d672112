import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ferry, run, tempDir } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';

// A blob over 8 GiB needs a pax size record: ustar's 11 octal digits stop at 8 GiB - 1.
const BIG = 8 * 1024 ** 3 + 4097;
let work: string;

before(async () => {
  work = await tempDir('large');
  const stats = await fs.statfs(work);
  if (stats.bavail * stats.bsize < 2.5 * BIG) throw new Error(`the >8 GiB blob test needs ${(2.5 * BIG) / 1024 ** 3} GiB free in ${work}`);
});
after(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

test('a blob over 8 GiB (sparse source) survives the tar headers: GNU tar and ferry verify read its size', { timeout: 15 * 60_000 }, async () => {
  const store = path.join(work, 'store');
  const built = await makeOllamaStore(store, [{ name: 'huge:1', modelBytes: BIG, sparse: true }]);
  const home = path.join(work, 'home');
  const out = path.join(work, 'bundle');
  const exported = await ferry(home, ['export', '--out', out, '--ollama-store', store, '--ollama', 'huge:1', '--volume-size', 'fat32']);
  assert.equal(exported.code, 0, exported.stderr);

  const weights = built.models[0]!.blobs.find((_, i) => i === 1)!;
  const listing = await run('sh', ['-c', 'cat bundle.tar.* | tar -tv'], { cwd: out });
  assert.equal(listing.code, 0, listing.stderr);
  const line = listing.stdout.split('\n').find((l) => l.endsWith(weights.slice('sha256:'.length)));
  assert.ok(line, `tar lists the big blob:\n${listing.stdout}`);
  assert.equal(Number(line.split(/\s+/)[2]), BIG, 'GNU tar reads the full size');
  assert.ok(!listing.stdout.includes('PaxHeaders'), 'the pax header is consumed by tar, not listed as a file');

  const index = JSON.parse(await fs.readFile(path.join(out, 'BUNDLE.json'), 'utf8'));
  assert.equal(index.volumes.length, 3, 'fat32 volumes of 4 GiB - 1');
  assert.equal(index.blobs.find((b: { digest: string }) => b.digest === weights).size, BIG);

  const pub = path.join(work, 'pub.pem');
  await ferry(home, ['keys', 'export-public', pub]);
  const verified = await ferry(path.join(work, 'far'), ['verify', out, '--trust', pub, '--deep']);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
});

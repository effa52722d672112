import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { BundleVolume } from '../../shared/bundle.js';
import { filesArtifact } from '../files/artifact.js';
import { flipByte, tempDir } from '../testing/cli.js';
import { planBundle, type BundlePlan } from './plan.js';
import { recheckKeptVolumes } from './resume.js';
import { partialName } from './volume-writer.js';
import { writeVolumes } from './write.js';

// Small volumes of an odd size, so the cuts fall inside headers, data and padding of many entries.
const VOLUME_SIZE = 3000;
const NAME = 'cut';

let work: string;
let source: string;
let plan: BundlePlan;
let clean: string;
let volumes: BundleVolume[];

before(async () => {
  work = await tempDir('resume');
  source = path.join(work, 'files');
  await fs.mkdir(source);
  for (const size of [0, 1, 511, 512, 4000, 9000, 12345, 1024, 2999]) await fs.writeFile(path.join(source, `f${size}.bin`), randomBytes(size));
  plan = planBundle([await filesArtifact(source)]);
  clean = path.join(work, 'clean');
  await fs.mkdir(clean);
  volumes = await writeVolumes(plan, { dir: clean, name: NAME, volumeSize: VOLUME_SIZE });
  assert.ok(volumes.length > 10, `${volumes.length} volumes`);
});
after(() => fs.rm(work, { recursive: true, force: true }));

/** A folder as an export stopped after `count` volumes leaves it: those volumes, complete, under their hidden names. */
async function stoppedAfter(count: number, label: string): Promise<string> {
  const dir = path.join(work, label);
  await fs.mkdir(dir);
  for (const v of volumes.slice(0, count)) await fs.copyFile(path.join(clean, v.file), path.join(dir, partialName(v.file)));
  return dir;
}

async function assertSameAsClean(dir: string, written: BundleVolume[]): Promise<void> {
  assert.deepEqual(written, volumes);
  for (const v of volumes) assert.ok((await fs.readFile(path.join(dir, v.file))).equals(await fs.readFile(path.join(clean, v.file))), `${v.file} differs`);
}

test('continued after any number of kept volumes, the volumes equal an uninterrupted run byte for byte, and the kept ones are not rewritten', async () => {
  for (let count = 1; count <= volumes.length; count++) {
    const dir = await stoppedAfter(count, `after-${count}`);
    const inodes = await Promise.all(volumes.slice(0, count).map((v) => fs.stat(path.join(dir, partialName(v.file))).then((s) => [s.ino, s.mtimeMs])));
    const resume = await recheckKeptVolumes(dir, plan, volumes.slice(0, count));
    assert.equal(resume.kept.length, count);
    assert.equal(resume.startAt, count === volumes.length ? plan.tarSize : count * VOLUME_SIZE);
    const written = await writeVolumes(plan, { dir, name: NAME, volumeSize: VOLUME_SIZE, resume });
    await assertSameAsClean(dir, written);
    const after = await Promise.all(volumes.slice(0, count).map((v) => fs.stat(path.join(dir, v.file)).then((s) => [s.ino, s.mtimeMs])));
    assert.deepEqual(after, inodes, `after ${count}: the kept volumes are the same files, untouched`);
  }
});

test('a kept volume that no longer matches its recorded sha256 is written again, with every volume after it', async () => {
  const dir = await stoppedAfter(6, 'tampered');
  await flipByte(path.join(dir, partialName(volumes[3]!.file)), 100);
  const resume = await recheckKeptVolumes(dir, plan, volumes.slice(0, 6));
  assert.equal(resume.kept.length, 3, 'kept up to the damaged volume');
  await assertSameAsClean(dir, await writeVolumes(plan, { dir, name: NAME, volumeSize: VOLUME_SIZE, resume }));
});

test('a blob cut by the last kept volume is checked over all its bytes: a source changed since is refused', async () => {
  const cut = plan.entries.find((e) => e.digest && e.size > 0 && e.dataOffset < 2 * VOLUME_SIZE && e.dataOffset + e.size > 2 * VOLUME_SIZE);
  assert.ok(cut && cut.source.kind === 'file', 'a file blob runs across the end of volume 2');
  const dir = await stoppedAfter(2, 'changed-source');
  const resume = await recheckKeptVolumes(dir, plan, volumes.slice(0, 2));
  assert.equal(resume.blobPrefix?.digest, cut.digest);
  const original = await fs.readFile(cut.source.path);
  try {
    // Same size, a byte changed after the cut: only the part read now differs.
    await flipByte(cut.source.path, cut.size - 1);
    await assert.rejects(writeVolumes(plan, { dir, name: NAME, volumeSize: VOLUME_SIZE, resume }), { code: 'INTEGRITY' });
  } finally {
    await fs.writeFile(cut.source.path, original);
  }
});

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { filesArtifact } from '../files/artifact.js';
import { tempDir } from '../testing/cli.js';
import { planBundle } from './plan.js';
import { writeVolumes } from './write.js';

let work: string | undefined;
after(() => (work ? fs.rm(work, { recursive: true, force: true }) : undefined));

test("writing volumes reports what the user picked, never the tar's own entry names, the volume it writes, and its bytes only grow", async () => {
  work = await tempDir('write-progress');
  const files = path.join(work, 'runbooks');
  await fs.mkdir(files);
  await fs.writeFile(path.join(files, 'runbook.md'), '# Runbook\n'.repeat(500));
  await fs.writeFile(path.join(files, 'manual.bin'), Buffer.alloc((5 * 1024 * 1024) / 2, 7));
  const plan = planBundle([await filesArtifact(files)]);
  const out = path.join(work, 'bundle');
  await fs.mkdir(out);
  const seen: { bytesDone: number; item: string; phase: string | undefined }[] = [];
  const volumes = await writeVolumes(plan, {
    dir: out,
    name: 'progress',
    volumeSize: 1024 * 1024,
    onProgress: (p) => seen.push({ bytesDone: p.bytesDone, item: p.item, phase: p.phase }),
  });
  assert.equal(volumes.length, 3);
  assert.deepEqual(
    [...new Set(seen.map((p) => p.phase))],
    ['Writing volume 1 of 3', 'Writing volume 2 of 3', 'Writing volume 3 of 3'],
    'the phase names the volume being written, in order',
  );
  assert.ok(seen.length > 0);
  for (const { item } of seen) assert.ok(!['oci-layout', 'index.json'].includes(item) && !item.startsWith('blobs/'), `item "${item}"`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.bytesDone >= seen[i - 1]!.bytesDone, 'bytes only grow');
  assert.equal(seen.at(-1)!.bytesDone, plan.tarSize);
});

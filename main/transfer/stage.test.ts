import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ferry, flipByte, listFiles, tempDir } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';

const SMALL_FILES = ['BUNDLE.json', 'SHA256SUMS', 'SHA256SUMS.sig', 'VERIFY.txt', 'signer.pub.pem'];
const DISCS = 5;

const digestOf = async (file: string) =>
  `sha256:${createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex')}`;

/** A "disc": the five small files beside some volumes; `nested` burns the bundle folder itself onto the disc. */
async function makeDisc(bundle: string, disc: string, volumes: readonly string[], nested = false): Promise<string> {
  const folder = nested ? path.join(disc, path.basename(bundle)) : disc;
  await fs.mkdir(folder, { recursive: true });
  for (const file of [...SMALL_FILES, ...volumes]) await fs.copyFile(path.join(bundle, file), path.join(folder, file));
  return disc;
}

const partials = async (dir: string) => (await fs.readdir(dir)).filter((n) => n.endsWith('.partial'));

describe('ferry stage: a bundle carried disc by disc', () => {
  let work: string;
  let store: string;
  let homeA: string;
  let homeB: string;
  let bundle: string;
  let pubA: string;
  let volumes: string[];
  let discs: { dir: string; volumes: string[] }[];
  let staging: string;

  before(async () => {
    work = await tempDir('stage');
    store = path.join(work, 'store');
    homeA = path.join(work, 'home-a');
    homeB = path.join(work, 'home-b');
    bundle = path.join(work, 'usb', 'models-2026-11');
    pubA = path.join(work, 'site-a.pub.pem');
    staging = path.join(work, 'staging');
    await makeOllamaStore(store, [{ name: 'granite4.1:8b', modelBytes: 4 * 1024 * 1024 + 300_000, license: 'Apache-2.0' }]);
    const exported = await ferry(homeA, ['export', '--out', bundle, '--ollama-store', store, '--volume-size', '1MiB', '--ollama', 'granite4.1:8b']);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal((await ferry(homeA, ['keys', 'export-public', pubA])).code, 0);
    volumes = (await fs.readdir(bundle)).filter((f) => f.startsWith('models-2026-11.tar.')).sort();
    assert.ok(volumes.length >= DISCS && volumes.length <= 2 * DISCS, `expected 5 to 10 volumes, got ${volumes.join(', ')}`);
    // Consecutive volumes, one or two per disc; disc 3 carries the bundle folder rather than its files.
    discs = [];
    let next = 0;
    for (let d = 0; d < DISCS; d++) {
      const count = Math.floor(volumes.length / DISCS) + (d < volumes.length % DISCS ? 1 : 0);
      const on = volumes.slice(next, next + count);
      next += count;
      discs.push({ dir: await makeDisc(bundle, path.join(work, 'discs', `disc-${d + 1}`), on, d === 2), volumes: on });
    }
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  test('discs staged in any order shrink the missing list until the bundle is whole', async () => {
    const staged = new Set<string>();
    for (const d of [3, 0, 4, 2, 1]) {
      const disc = discs[d]!;
      const result = await ferry(homeB, ['stage', '--from', disc.dir, '--to', staging, '--trust', pubA]);
      assert.equal(result.code, 0, result.stderr);
      disc.volumes.forEach((v) => staged.add(v));
      const missing = volumes.filter((v) => !staged.has(v));
      assert.match(result.stdout, /^Bundle models-2026-11 {2}sha256:[0-9a-f]{64}$/m);
      assert.ok(result.stdout.includes(`this disc       ${disc.volumes.join(', ')}\n`), result.stdout);
      assert.ok(result.stdout.includes(`copied          ${disc.volumes.join(', ')}\n`), result.stdout);
      assert.ok(result.stdout.includes('already staged  none\n'), result.stdout);
      if (missing.length > 0) {
        assert.ok(result.stdout.includes(`Still missing: ${missing.join(', ')} — insert the next disc and run the same command.`), result.stdout);
        assert.doesNotMatch(result.stdout, /volumes are staged/);
      } else {
        assert.ok(result.stdout.includes(`All ${volumes.length} volumes are staged: import with ferry import ${staging} --trust ${pubA}`), result.stdout);
      }
      assert.deepEqual(await partials(staging), [], 'no temp files left behind');
    }
    assert.deepEqual(await listFiles(staging), [...SMALL_FILES, '.ferry-staged.json', ...volumes].sort());
    for (const file of [...SMALL_FILES, ...volumes])
      assert.ok((await fs.readFile(path.join(staging, file))).equals(await fs.readFile(path.join(bundle, file))), `${file} differs`);
  });

  test('staging a disc again copies nothing and reports its volumes as already staged', async () => {
    const disc = discs.find((d) => d.volumes.length === 2) ?? discs[0]!;
    const before = await Promise.all(disc.volumes.map((v) => fs.stat(path.join(staging, v))));
    const again = await ferry(homeB, ['stage', '--from', disc.dir, '--to', staging, '--trust', pubA, '--json']);
    assert.equal(again.code, 0, again.stderr);
    const { ok, result } = JSON.parse(again.stdout);
    assert.equal(ok, true);
    assert.equal(result.bundleDigest, await digestOf(path.join(bundle, 'SHA256SUMS')));
    assert.equal(result.name, 'models-2026-11');
    assert.equal(result.signer.trusted, true);
    assert.deepEqual(result.onThisDisc, disc.volumes);
    assert.deepEqual(result.copied, []);
    assert.deepEqual(result.alreadyStaged, disc.volumes);
    assert.deepEqual(result.missing, []);
    assert.equal(result.complete, true);
    const after = await Promise.all(disc.volumes.map((v) => fs.stat(path.join(staging, v))));
    after.forEach((s, i) => assert.ok(s.ino === before[i]!.ino && s.mtimeMs === before[i]!.mtimeMs, `${disc.volumes[i]} was rewritten`));
  });

  test('each disc is one media.staged event in the ledger', async () => {
    const shown = await ferry(homeB, ['ledger', 'show', '--type', 'media.staged', '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    const events = JSON.parse(shown.stdout).result.entries.map((e: { event: Record<string, unknown> }) => e.event);
    assert.equal(events.length, DISCS + 1);
    const first = events[0];
    assert.equal(first.bundle, await digestOf(path.join(bundle, 'SHA256SUMS')));
    assert.deepEqual(
      first.volumes.map((v: { file: string }) => v.file),
      discs[3]!.volumes,
    );
    for (const v of first.volumes) assert.equal(v.sha256, (await digestOf(path.join(bundle, v.file))).slice('sha256:'.length));
    assert.deepEqual(events[DISCS - 1].missing, []);
    assert.deepEqual(events[DISCS].volumes, []);
  });

  test('discs in reverse order, a disc of volumes only once the signed metadata is staged, an empty drive told apart; each disc recorded with its id, label and seal', async () => {
    const reverse = path.join(work, 'staging-reverse');
    const volumesOnly = path.join(work, 'discs', 'volumes-only');
    await fs.mkdir(volumesOnly, { recursive: true });
    for (const v of discs[1]!.volumes) await fs.copyFile(path.join(bundle, v), path.join(volumesOnly, v));
    const emptyDrive = path.join(work, 'discs', 'empty-drive');
    await fs.mkdir(emptyDrive, { recursive: true });

    const tooEarly = await ferry(homeB, ['stage', '--from', volumesOnly, '--to', reverse, '--trust', pubA]);
    assert.equal(tooEarly.code, 1, tooEarly.stderr);
    assert.match(tooEarly.stderr, /holds no SHA256SUMS, and .* has no bundle staged yet .* Stage a disc that carries SHA256SUMS and its signature first/);
    const empty = await ferry(homeB, ['stage', '--from', emptyDrive, '--to', reverse, '--trust', pubA]);
    assert.equal(empty.code, 1, empty.stderr);
    assert.match(empty.stderr, /The drive at .*empty-drive is empty: no disc is in it/);

    const order = [4, 3, 2, 1, 0];
    for (const d of order) {
      const from = d === 1 ? volumesOnly : discs[d]!.dir;
      const result = await ferry(homeB, [
        'stage',
        '--from',
        from,
        '--to',
        reverse,
        '--trust',
        pubA,
        '--media-id',
        `BD-${d + 1}`,
        '--label',
        `Disc ${d + 1} of 5`,
        '--seal',
        `S-${d + 1}`,
        '--json',
      ]);
      assert.equal(result.code, 0, `disc ${d + 1}: ${result.stderr}`);
      assert.equal(JSON.parse(result.stdout).result.volumesOnly, d === 1);
    }
    assert.deepEqual(await listFiles(reverse), [...SMALL_FILES, '.ferry-staged.json', ...volumes].sort());
    const staged = JSON.parse((await ferry(homeB, ['ledger', 'show', '--type', 'media.staged', '--json'])).stdout).result.entries.slice(-5);
    assert.deepEqual(
      staged.map((e: { event: Record<string, any> }) => [e.event.medium, e.event.volumesOnly === true, e.event.complete]),
      order.map((d) => [{ id: `BD-${d + 1}`, label: `Disc ${d + 1} of 5`, seal: `S-${d + 1}` }, d === 1, d === 0]),
    );
    const shown = (await ferry(homeB, ['ledger', 'show', '--type', 'media.staged'])).stdout;
    assert.match(shown, /Disc 2 of 5 \(BD-2\), seal S-2: 1 volume|Disc 2 of 5 \(BD-2\), seal S-2: \d volumes/);

    const otherBundle = path.join(work, 'discs', 'stranger');
    await fs.mkdir(otherBundle, { recursive: true });
    await fs.writeFile(path.join(otherBundle, 'holiday.jpg'), 'not a volume');
    const wrong = await ferry(homeB, ['stage', '--from', otherBundle, '--to', reverse, '--trust', pubA]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /holds no SHA256SUMS and none of the volumes of models-2026-11/);
  });

  test('ferry import reads the staging folder and rebuilds the model byte-exact', async () => {
    const target = path.join(work, 'pvc', 'models');
    const imported = await ferry(homeB, ['import', staging, '--trust', pubA, '--to-ollama-store', target]);
    assert.equal(imported.code, 0, imported.stderr);
    const sourceFiles = await listFiles(store);
    assert.deepEqual(await listFiles(target), sourceFiles);
    for (const file of sourceFiles)
      assert.ok((await fs.readFile(path.join(store, file))).equals(await fs.readFile(path.join(target, file))), `${file} differs`);
  });

  test('a volume with a flipped byte is refused, naming it, and nothing of it is staged', async () => {
    const good = discs.find((d) => d.volumes.length === 2) ?? discs[0]!;
    const [first, second] = good.volumes;
    const damaged = await makeDisc(bundle, path.join(work, 'discs', 'damaged'), good.volumes);
    const bad = second ?? first!;
    await flipByte(path.join(damaged, bad), Math.floor((await fs.stat(path.join(damaged, bad))).size / 2));
    const into = path.join(work, 'staging-damaged');
    const refused = await ferry(homeB, ['stage', '--from', damaged, '--to', into, '--trust', pubA]);
    assert.equal(refused.code, 3, refused.stderr);
    assert.ok(refused.stderr.includes(`Volume ${bad} on ${damaged} does not match SHA256SUMS`), refused.stderr);
    assert.match(refused.stderr, /copy it from another disc or re-burn it/);
    const left = await fs.readdir(into);
    assert.ok(!left.some((n) => n.includes(bad)), `nothing of ${bad} is left: ${left.join(', ')}`);
    assert.deepEqual(await partials(into), []);
    if (second) assert.ok(left.includes(first!), 'the volume before it was verified and stays staged');

    const rejected = JSON.parse((await ferry(homeB, ['ledger', 'show', '--type', 'media.rejected', '--json'])).stdout).result.entries;
    assert.equal(rejected.at(-1).event.volume, bad);
    assert.equal(rejected.at(-1).event.reason.code, 'INTEGRITY');

    // The same disc, re-burnt: the damaged volume is copied, the verified one is not copied again.
    const fixed = await ferry(homeB, ['stage', '--from', good.dir, '--to', into, '--trust', pubA, '--json']);
    assert.equal(fixed.code, 0, fixed.stderr);
    const result = JSON.parse(fixed.stdout).result;
    assert.deepEqual(result.copied, [bad]);
    assert.deepEqual(result.alreadyStaged, second ? [first] : []);
  });

  test('a volume of the wrong size is refused before anything is copied', async () => {
    const disc = discs[0]!;
    const short = await makeDisc(bundle, path.join(work, 'discs', 'short'), disc.volumes);
    const victim = disc.volumes[disc.volumes.length - 1]!;
    await fs.truncate(path.join(short, victim), 1000);
    const into = path.join(work, 'staging-short');
    const refused = await ferry(homeB, ['stage', '--from', short, '--to', into, '--trust', pubA]);
    assert.equal(refused.code, 3, refused.stderr);
    assert.ok(refused.stderr.includes(`Volume ${victim} on ${short} is 1000 bytes, expected`), refused.stderr);
    assert.match(refused.stderr, /copy it from another disc or re-burn it/);
    assert.equal(await fs.stat(into).catch(() => null), null, 'STAGING was not even created');
  });

  test('a disc of another bundle is refused for a staging folder that holds this one', async () => {
    const other = path.join(work, 'usb', 'other');
    const exported = await ferry(homeA, ['export', '--out', other, '--ollama-store', store, '--volume-size', '1MiB', '--ollama', 'granite4.1:8b']);
    assert.equal(exported.code, 0, exported.stderr);
    const otherVolumes = (await fs.readdir(other)).filter((f) => f.startsWith('other.tar.')).sort();
    const disc = await makeDisc(other, path.join(work, 'discs', 'other-1'), otherVolumes.slice(0, 1));
    const before = await listFiles(staging);
    const refused = await ferry(homeB, ['stage', '--from', disc, '--to', staging, '--trust', pubA]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.ok(refused.stderr.includes(await digestOf(path.join(bundle, 'SHA256SUMS'))), refused.stderr);
    assert.ok(refused.stderr.includes(await digestOf(path.join(other, 'SHA256SUMS'))), refused.stderr);
    assert.deepEqual(await listFiles(staging), before);
  });

  test('a folder that is neither empty nor a staged bundle is refused', async () => {
    const cluttered = path.join(work, 'cluttered');
    await fs.mkdir(cluttered);
    await fs.writeFile(path.join(cluttered, 'notes.txt'), 'mine');
    const refused = await ferry(homeB, ['stage', '--from', discs[0]!.dir, '--to', cluttered, '--trust', pubA]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /is not empty and holds no Ferry bundle/);
    assert.deepEqual(await fs.readdir(cluttered), ['notes.txt']);
  });

  test('an untrusted signer is refused and nothing is staged', async () => {
    const homeC = path.join(work, 'home-c');
    const into = path.join(work, 'staging-untrusted');
    await fs.mkdir(into);
    const refused = await ferry(homeC, ['stage', '--from', discs[0]!.dir, '--to', into]);
    assert.equal(refused.code, 3, refused.stderr);
    const index = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8'));
    assert.ok(refused.stderr.includes(`signed by ${index.signer}, which is not a trusted key`), refused.stderr);
    assert.match(refused.stderr, /ferry keys trust/);
    assert.deepEqual(await fs.readdir(into), []);
  });

  test('usage errors exit 2', async () => {
    assert.equal((await ferry(homeB, ['stage', '--to', staging])).code, 2);
    assert.equal((await ferry(homeB, ['stage', '--from', discs[0]!.dir])).code, 2);
    assert.equal((await ferry(homeB, ['stage', discs[0]!.dir, '--to', staging])).code, 2);
  });
});

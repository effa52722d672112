import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import '../kinds.js';
import { openEngine } from '../engine.js';
import { FERRY_BIN, run, signerKeyApart, tempDir } from '../testing/cli.js';
import { FerryError } from '../util/errors.js';
import { checkFreeSpace } from './export.js';

const MiB = 1024 * 1024;

test('a destination without room is refused before anything is written, naming the folder and the sizes', async () => {
  const dir = os.tmpdir();
  await checkFreeSpace(dir, 1024);
  await assert.rejects(checkFreeSpace(dir, Number.MAX_SAFE_INTEGER), (err: unknown) => {
    assert.ok(err instanceof FerryError);
    assert.equal(err.code, 'NO_SPACE');
    assert.ok(err.message.includes(dir) && /needs/.test(err.message));
    return true;
  });
});

/** 192 MiB of random bytes at `file`. */
async function weightsFile(file: string): Promise<string> {
  const handle = await fs.open(file, 'w');
  for (let i = 0; i < 24; i++) await handle.write(randomBytes(8 * MiB));
  await handle.close();
  return file;
}

/**
 * Runs `ferry ARGS` (ARGS may name "$DISK") in a mount namespace of its own with a 220 MiB tmpfs at
 * `disk`, and fills that disk with another program's 120 MiB as soon as Ferry's first file appears
 * there: a USB stick or a share that fills while Ferry writes. Returns Ferry's exit code, its
 * stderr and the files left on the disk; undefined (the test skipped, saying why) without mount
 * namespaces, which need root, as CI runs.
 */
async function onDiskThatFills(t: TestContext, disk: string, args: string, env: NodeJS.ProcessEnv) {
  await fs.mkdir(disk);
  const script = [
    'mount -t tmpfs -o size=220m tmpfs "$DISK" || exit 99',
    `"$NODE" "$FERRY" ${args} 2>"$DISK.err" & pid=$!`,
    'while [ -z "$(find "$DISK" -type f 2>/dev/null)" ]; do kill -0 $pid 2>/dev/null || break; sleep 0.005; done',
    'dd if=/dev/zero of="$DISK/filler" bs=1M count=120 2>/dev/null',
    'wait $pid; code=$?',
    'rm -f "$DISK/filler"; find "$DISK" -mindepth 1 -not -type d >"$DISK.left"',
    'exit $code',
  ].join('\n');
  const result = await run('unshare', ['-m', 'sh', '-c', script], {
    env: { ...process.env, ...env, DISK: disk, NODE: process.execPath, FERRY: FERRY_BIN },
  }).catch((err: unknown) => ({ code: 99, stdout: '', stderr: `unshare failed: ${String(err)}` }));
  if (result.code === 99 || /unshare failed|Operation not permitted/.test(result.stderr)) {
    t.skip(`mount namespaces are not available here (${result.stderr.trim() || 'mount failed'}): needs root, as CI runs`);
    return undefined;
  }
  const left = (await fs.readFile(`${disk}.left`, 'utf8')).split('\n').filter(Boolean);
  return { code: result.code, stderr: await fs.readFile(`${disk}.err`, 'utf8'), left: left.map((f) => path.relative(disk, f)) };
}

test('a destination that fills during the export fails naming the folder and the volume, and nothing looks complete', async (t) => {
  const work = await tempDir('full-destination');
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const weights = await weightsFile(path.join(work, 'weights.bin'));
  const usb = path.join(work, 'usb');
  const home = path.join(work, 'home');
  const ended = await onDiskThatFills(t, usb, 'export --file "$WEIGHTS" --out "$DISK/w" --volume-size 32MiB --name w', { WEIGHTS: weights, FERRY_HOME: home });
  if (!ended) return;
  assert.equal(ended.code, 1, ended.stderr);
  assert.match(
    ended.stderr,
    new RegExp(`${usb}/w is full: volume w\\.tar\\.00\\d could not be written\\. Free some space there, or choose another destination\\.`),
  );
  assert.ok(!ended.left.some((f) => /^w\/(SHA256SUMS\.sig|w\.tar\.\d{3})$/.test(f)), `nothing looks complete: ${ended.left.join(', ')}`);
  const engine = await openEngine({ home });
  try {
    const failed = engine.ledger.events({ type: 'export.failed' }).map((e) => (e.event as { error: { code: string } }).error.code);
    assert.deepEqual(failed, ['NO_SPACE'], 'the ledger records why');
  } finally {
    engine.close();
  }
});

/** A bundle (`work`/bundle, three 64 MiB volumes) of a 192 MiB file, exported by another site. */
async function exportedBundle(work: string): Promise<string> {
  const weights = await weightsFile(path.join(work, 'weights.bin'));
  const bundle = path.join(work, 'bundle');
  const exported = await run(process.execPath, [FERRY_BIN, 'export', '--file', weights, '--out', bundle, '--volume-size', '64MiB'], {
    env: { ...process.env, FERRY_HOME: path.join(work, 'home-a') },
  });
  assert.equal(exported.code, 0, exported.stderr);
  return bundle;
}

test('a target that fills during the import fails naming the folder and the file, and nothing is left in it', async (t) => {
  const work = await tempDir('full-target');
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const bundle = await exportedBundle(work);
  const target = path.join(work, 'target');
  const args = 'import "$BUNDLE" --trust "$BUNDLE-signer.pub.pem" --to-dir "$DISK/restored"';
  await signerKeyApart(bundle);
  const ended = await onDiskThatFills(t, target, args, { BUNDLE: bundle, FERRY_HOME: path.join(work, 'home-b') });
  if (!ended) return;
  assert.equal(ended.code, 1, ended.stderr);
  assert.match(
    ended.stderr,
    new RegExp(`${target}/restored is full: file weights\\.bin could not be written\\. Free some space there, or choose another target\\.`),
  );
  assert.deepEqual(ended.left, [], 'no temp file is left, nothing is committed');
});

test('a staging folder that fills while a disc is copied fails naming the volume, and no half copy is left', async (t) => {
  const work = await tempDir('full-staging');
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const bundle = await exportedBundle(work);
  const disk = path.join(work, 'staging-disk');
  const args = 'stage --from "$BUNDLE" --to "$DISK/staging" --trust "$BUNDLE-signer.pub.pem"';
  await signerKeyApart(bundle);
  const ended = await onDiskThatFills(t, disk, args, { BUNDLE: bundle, FERRY_HOME: path.join(work, 'home-b') });
  if (!ended) return;
  assert.equal(ended.code, 1, ended.stderr);
  assert.match(
    ended.stderr,
    new RegExp(`${disk}/staging is full: volume bundle\\.tar\\.00\\d could not be written\\. Free some space there, or choose another staging folder\\.`),
  );
  assert.ok(!ended.left.some((f) => f.endsWith('.partial')), `no half copy is left: ${ended.left.join(', ')}`);
});

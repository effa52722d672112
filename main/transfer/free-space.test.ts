import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import '../kinds.js';
import { openEngine } from '../engine.js';
import { FERRY_BIN, run, tempDir } from '../testing/cli.js';
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

/**
 * A USB stick that fills while the export writes (another program, a second copy): the export is
 * run in a mount namespace of its own on a small tmpfs, and a filler takes the room once the first
 * volume is open. Needs mount namespaces (root, as CI runs); said plainly when not available.
 */
test('a destination that fills during the export fails naming the folder and the volume, and nothing looks complete', async (t) => {
  const work = await tempDir('full-destination');
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const weights = path.join(work, 'weights.bin');
  const handle = await fs.open(weights, 'w');
  for (let i = 0; i < 24; i++) await handle.write(randomBytes(8 * MiB));
  await handle.close();
  const usb = path.join(work, 'usb');
  await fs.mkdir(usb);
  const script = [
    'mount -t tmpfs -o size=220m tmpfs "$USB" || exit 99',
    '"$NODE" "$FERRY" export --file "$WEIGHTS" --out "$USB/w" --volume-size 32MiB --name w 2>"$USB.err" & pid=$!',
    'while ! ls -a "$USB/w" 2>/dev/null | grep -q "ferry.partial"; do kill -0 $pid 2>/dev/null || break; sleep 0.005; done',
    'dd if=/dev/zero of="$USB/filler" bs=1M count=120 2>/dev/null',
    'wait $pid; code=$?',
    'rm -f "$USB/filler"; ls -A "$USB/w" >"$USB.left" 2>/dev/null',
    'exit $code',
  ].join('\n');
  const env = { ...process.env, USB: usb, NODE: process.execPath, FERRY: FERRY_BIN, WEIGHTS: weights, FERRY_HOME: path.join(work, 'home') };
  const result = await run('unshare', ['-m', 'sh', '-c', script], { env });
  if (result.code === 99 || /unshare failed|Operation not permitted/.test(result.stderr)) {
    t.skip(`mount namespaces are not available here (${result.stderr.trim() || 'mount failed'}): needs root, as CI runs`);
    return;
  }
  const stderr = await fs.readFile(`${usb}.err`, 'utf8');
  assert.equal(result.code, 1, stderr);
  assert.match(stderr, new RegExp(`${usb}/w is full: volume w\\.tar\\.00\\d could not be written\\. Free some space there, or choose another destination\\.`));
  const left = (await fs.readFile(`${usb}.left`, 'utf8')).split('\n').filter(Boolean);
  assert.ok(!left.includes('SHA256SUMS.sig') && !left.some((f) => /^w\.tar\.\d{3}$/.test(f)), `nothing looks complete: ${left.join(', ')}`);
  const engine = await openEngine({ home: path.join(work, 'home') });
  try {
    const failed = engine.ledger.events({ type: 'export.failed' }).map((e) => (e.event as { error: { code: string } }).error.code);
    assert.deepEqual(failed, ['NO_SPACE'], 'the ledger records why');
  } finally {
    engine.close();
  }
});

test('a target that fills during the import fails naming the folder and the file, and nothing is left in it', async (t) => {
  const work = await tempDir('full-target');
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const weights = path.join(work, 'weights.bin');
  const handle = await fs.open(weights, 'w');
  for (let i = 0; i < 24; i++) await handle.write(randomBytes(8 * MiB));
  await handle.close();
  const bundle = path.join(work, 'bundle');
  const exported = await run(process.execPath, [FERRY_BIN, 'export', '--file', weights, '--out', bundle, '--volume-size', '64MiB'], {
    env: { ...process.env, FERRY_HOME: path.join(work, 'home-a') },
  });
  assert.equal(exported.code, 0, exported.stderr);
  const usb = path.join(work, 'target');
  await fs.mkdir(usb);
  const script = [
    'mount -t tmpfs -o size=220m tmpfs "$USB" || exit 99',
    '"$NODE" "$FERRY" import "$BUNDLE" --trust "$BUNDLE/signer.pub.pem" --to-dir "$USB/restored" 2>"$USB.err" & pid=$!',
    'while ! find "$USB" -type f 2>/dev/null | grep -q .; do kill -0 $pid 2>/dev/null || break; sleep 0.005; done',
    'dd if=/dev/zero of="$USB/filler" bs=1M count=120 2>/dev/null',
    'wait $pid; code=$?',
    'rm -f "$USB/filler"; find "$USB" -mindepth 1 -not -type d >"$USB.left"',
    'exit $code',
  ].join('\n');
  const env = { ...process.env, USB: usb, NODE: process.execPath, FERRY: FERRY_BIN, BUNDLE: bundle, FERRY_HOME: path.join(work, 'home-b') };
  const result = await run('unshare', ['-m', 'sh', '-c', script], { env });
  if (result.code === 99 || /unshare failed|Operation not permitted/.test(result.stderr)) {
    t.skip(`mount namespaces are not available here (${result.stderr.trim() || 'mount failed'}): needs root, as CI runs`);
    return;
  }
  const stderr = await fs.readFile(`${usb}.err`, 'utf8');
  assert.equal(result.code, 1, stderr);
  assert.match(stderr, new RegExp(`${usb}/restored is full: file weights\\.bin could not be written\\. Free some space there, or choose another target\\.`));
  assert.deepEqual((await fs.readFile(`${usb}.left`, 'utf8')).split('\n').filter(Boolean), [], 'no temp file is left, nothing is committed');
});

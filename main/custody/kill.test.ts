import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FERRY_BIN, ferry, tempDir } from '../testing/cli.js';

/** Starts `ferry ARGS`, waits until `ready()` says the work is under way (or `delayMs`), then kill -9. */
async function killMidway(home: string, args: string[], ready: () => Promise<boolean>): Promise<{ killedEarly: boolean }> {
  const child = spawn(process.execPath, [FERRY_BIN, ...args], { env: { ...process.env, FERRY_HOME: home, FERRY_OPERATOR: 'Crash Test' }, stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let finished = false;
  void exited.then(() => (finished = true));
  const deadline = Date.now() + 30_000;
  while (!finished && Date.now() < deadline && !(await ready())) await sleep(5);
  child.kill('SIGKILL');
  const signal = await exited;
  return { killedEarly: signal === 'SIGKILL' };
}

async function sizeUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

describe('kill -9 during an export and during an import leaves every ledger verifiable', () => {
  let work: string;
  let exporter: string;
  let importer: string;
  let weights: string;
  before(async () => {
    work = await tempDir('kill');
    exporter = path.join(work, 'site-a');
    importer = path.join(work, 'site-b');
    weights = path.join(work, 'weights.bin');
    const handle = await fs.open(weights, 'w');
    await handle.truncate(384 * 1024 * 1024);
    await handle.close();
    assert.equal((await ferry(exporter, ['keys', 'export-public', path.join(work, 'a.pub.pem')])).code, 0);
    assert.equal((await ferry(importer, ['keys', 'trust', path.join(work, 'a.pub.pem')])).code, 0);
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  const bundle = () => path.join(work, 'bundle');
  const exportArgs = () => ['export', '--file', weights, '--out', bundle(), '--volume-size', '64MiB'];

  test('export: killed while planning and while writing volumes; the chain verifies and the export then completes', async () => {
    const early = await killMidway(exporter, exportArgs(), async () => (await sleep(120), true));
    assert.equal(early.killedEarly, true);
    const writing = await killMidway(exporter, exportArgs(), async () => (await sizeUnder(bundle())) > 8 * 1024 * 1024);
    assert.equal(writing.killedEarly, true, 'killed while the volumes were being written');
    const verify = await ferry(exporter, ['ledger', 'verify']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    await assert.rejects(fs.stat(path.join(bundle(), 'SHA256SUMS')), 'a killed export leaves nothing that looks complete');
    const done = await ferry(exporter, exportArgs());
    assert.equal(done.code, 0, done.stderr);
    assert.equal((await ferry(exporter, ['ledger', 'verify'])).code, 0);
  });

  test('import: killed while verifying and while writing; the chain verifies and the import then completes', async () => {
    const target = path.join(work, 'restored');
    const importArgs = ['import', bundle(), '--to-dir', target];
    const verifying = await killMidway(importer, importArgs, async () => (await sleep(150), true));
    assert.equal(verifying.killedEarly, true);
    const writing = await killMidway(importer, importArgs, async () => (await sizeUnder(target)) > 8 * 1024 * 1024);
    assert.equal(writing.killedEarly, true, 'killed while the file was being restored');
    const verify = await ferry(importer, ['ledger', 'verify']);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    const done = await ferry(importer, importArgs);
    assert.equal(done.code, 0, done.stderr);
    assert.equal((await fs.stat(path.join(target, 'weights.bin'))).size, 384 * 1024 * 1024);
    assert.equal((await ferry(importer, ['ledger', 'verify'])).code, 0);
  });
});

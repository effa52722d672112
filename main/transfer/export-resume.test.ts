import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExportRequest } from '../../shared/contract/job-kinds.js';
import type { Job } from '../../shared/rpc.js';
import '../kinds.js';
import { partialName } from '../bundle/volume-writer.js';
import { openEngine } from '../engine.js';
import { JobRunner } from '../jobs/runner.js';
import { startHost } from '../host/server.js';
import { FERRY_BIN, ferry, run, signerKeyApart, tempDir } from '../testing/cli.js';
import { loginToHost, WsRpc } from '../testing/ws-client.js';

const MiB = 1024 * 1024;
const VOLUME = '32MiB';
const NAME = 'weights';

let work: string;
let data: string;
let clean: string;

/** The volumes an export has completed and kept, from the progress record beside them (main/bundle/resume.ts). */
async function completedVolumes(bundle: string): Promise<{ file: string; size: number; sha256: string }[]> {
  try {
    return (
      JSON.parse(await fs.readFile(path.join(bundle, '.ferry-export-progress.json'), 'utf8')) as { volumes: { file: string; size: number; sha256: string }[] }
    ).volumes;
  } catch {
    return [];
  }
}

const exportArgs = (out: string, more: string[] = []) => ['export', '--file', data, '--out', out, '--name', NAME, '--volume-size', VOLUME, ...more];

/** Starts `ferry export` under sh, which prints its reaped child's I/O counters (wchar: bytes it wrote) when it ends. */
function startExport(home: string, out: string, more: string[] = []) {
  const script = `"$0" "$@"; code=$?; grep '^[rw]char:' /proc/$$/io >&2; exit $code`;
  const child = spawn('sh', ['-c', script, process.execPath, FERRY_BIN, ...exportArgs(out, more)], {
    env: { ...process.env, FERRY_HOME: home, FERRY_OPERATOR: 'Resume Test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; written: number; read: number }>((resolve) =>
    child.on('close', (code, signal) =>
      resolve({ code, signal, stderr, written: Number(/wchar: (\d+)/.exec(stderr)?.[1] ?? NaN), read: Number(/rchar: (\d+)/.exec(stderr)?.[1] ?? NaN) }),
    ),
  );
  return { child, ended };
}

/** Waits until the export writing into `bundle` has completed `count` volumes (it writes the next one); fails when it ended before. */
async function untilVolumes(bundle: string, count: number, ended: Promise<unknown>): Promise<void> {
  let over = false;
  void ended.then(() => (over = true));
  const deadline = Date.now() + 120_000;
  const opened = async () => (await fs.readdir(bundle).catch(() => [])).filter((f) => f.startsWith(`.${NAME}.tar.`)).length;
  while ((await opened()) < count + 1) {
    assert.ok(!over && Date.now() < deadline, `the export ended or stalled before ${count} volumes were complete`);
    await sleep(2);
  }
}

/** The pid of ferry itself, which runs under the sh of startExport. */
async function ferryPid(sh: { pid?: number | undefined }): Promise<number> {
  const children = await fs.readFile(`/proc/${sh.pid}/task/${sh.pid}/children`, 'utf8');
  const pid = Number(children.trim().split(/\s+/)[0]);
  assert.ok(pid > 0, 'ferry runs under sh');
  return pid;
}

async function volumeFiles(bundle: string): Promise<string[]> {
  return (await fs.readdir(bundle)).filter((f) => f.startsWith(`${NAME}.tar.`)).sort();
}

/** The bundle verifies with the real CLI, and its volumes equal the clean export's (`like`) byte for byte. */
async function assertSameAsClean(home: string, bundle: string, like = clean): Promise<void> {
  const verified = await ferry(home, ['verify', bundle, '--trust', await signerKeyApart(bundle), '--deep']);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  const files = await volumeFiles(bundle);
  assert.deepEqual(files, await volumeFiles(like));
  for (const file of files) assert.ok((await fs.readFile(path.join(bundle, file))).equals(await fs.readFile(path.join(like, file))), `${file} differs`);
  const index = (dir: string) => fs.readFile(path.join(dir, 'BUNDLE.json'), 'utf8').then((t) => JSON.parse(t) as Record<string, unknown>);
  const [ours, theirs] = [await index(bundle), await index(like)];
  for (const field of ['volumes', 'tar', 'artifacts', 'blobs', 'volumeSize']) assert.deepEqual(ours[field], theirs[field], field);
  assert.deepEqual(
    (await fs.readdir(bundle)).filter((f) => f.startsWith('.')),
    [],
    'nothing hidden is left in the bundle',
  );
}

async function ledgerEvents(home: string): Promise<Record<string, unknown>[]> {
  const engine = await openEngine({ home });
  try {
    return engine.ledger.events().map((e) => e.event as Record<string, unknown>);
  } finally {
    engine.close();
  }
}

async function bundleBytes(bundle: string): Promise<number> {
  return (await Promise.all((await volumeFiles(bundle)).map((f) => fs.stat(path.join(bundle, f))))).reduce((sum, s) => sum + s.size, 0);
}

async function ledgerTypes(home: string): Promise<string[]> {
  const engine = await openEngine({ home });
  try {
    return engine.ledger.events().map((e) => String(e.event.type));
  } finally {
    engine.close();
  }
}

describe('an export stopped midway keeps its complete volumes and continues from them', () => {
  before(async () => {
    work = await tempDir('export-resume');
    data = path.join(work, 'weights.bin');
    const handle = await fs.open(data, 'w');
    for (let i = 0; i < 15; i++) await handle.write(randomBytes(8 * MiB));
    await handle.close();
    clean = path.join(work, 'clean');
    const done = await ferry(path.join(work, 'clean-home'), exportArgs(clean));
    assert.equal(done.code, 0, done.stderr);
    assert.equal((await volumeFiles(clean)).length, 4);
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  test('killed with SIGKILL after the second volume, run again: the kept volumes are not rewritten and the bundle equals a clean export', async (t) => {
    const home = path.join(work, 'kill-home');
    const bundle = path.join(work, 'killed');
    const first = startExport(home, bundle);
    await untilVolumes(bundle, 2, first.ended);
    process.kill(await ferryPid(first.child), 'SIGKILL');
    const killed = await first.ended;
    assert.equal(killed.code, 128 + 9, 'ferry was killed before it finished');
    await assert.rejects(fs.stat(path.join(bundle, 'SHA256SUMS.sig')), 'a killed export leaves nothing that looks complete');
    const kept = await completedVolumes(bundle);
    assert.ok(kept.length >= 2 && kept.length < 4, `${kept.length} volumes complete when killed`);
    const before = new Map<string, { ino: number; mtimeMs: number }>();
    for (const v of kept) before.set(v.file, await fs.stat(path.join(bundle, partialName(v.file))));

    const second = startExport(home, bundle);
    const done = await second.ended;
    assert.equal(done.code, 0, done.stderr);
    const total = (await Promise.all((await volumeFiles(clean)).map((f) => fs.stat(path.join(clean, f))))).reduce((sum, s) => sum + s.size, 0);
    let rewritten = 0;
    for (const file of await volumeFiles(bundle)) {
      const now = await fs.stat(path.join(bundle, file));
      const then = before.get(file);
      if (then) assert.deepEqual([now.ino, now.mtimeMs], [then.ino, then.mtimeMs], `${file} was kept as it was, not written again`);
      else rewritten += now.size;
    }
    t.diagnostic(
      `${kept.length} volumes kept; volumes rewritten: ${rewritten} bytes; written by the second run: ${done.written}, read: ${done.read} of ${total} bytes`,
    );
    assert.ok(rewritten <= 0.6 * total, `rewrote ${rewritten} of ${total} bytes`);
    assert.ok(done.written <= 0.6 * total, `the second run wrote ${done.written} bytes of a ${total}-byte bundle`);
    // The kept volumes read back to check them, the source from the cut on; the file is not hashed again to plan.
    assert.ok(done.read <= 1.15 * total, `the second run read ${done.read} bytes for a ${total}-byte bundle`);
    await assertSameAsClean(home, bundle);
    const types = await ledgerTypes(home);
    assert.equal(types.filter((t) => t === 'export.requested').length, 1, 'the second run continues the same export');
    assert.equal(types.filter((t) => t === 'export.completed').length, 1);
    assert.equal((await ferry(home, ['ledger', 'verify'])).code, 0);
  });

  test('a source gone midway fails the export but keeps its complete volumes; put back, the same command goes on from them', async (t) => {
    const home = path.join(work, 'failed-home');
    const bundle = path.join(work, 'failed');
    const last = path.join(work, 'zeta.bin');
    await fs.writeFile(last, randomBytes(4 * MiB));
    const withLast = ['--file', last];
    const like = path.join(work, 'clean-with-last');
    assert.equal((await ferry(path.join(work, 'clean-last-home'), exportArgs(like, withLast))).code, 0);
    assert.equal((await volumeFiles(like)).length, 4);

    const first = startExport(home, bundle, withLast);
    await untilVolumes(bundle, 1, first.ended);
    // zeta.bin is read last (artifacts go in the order of their names), in the fourth volume: its disk unplugged before the export reaches it.
    await fs.rename(last, `${last}.away`);
    const failed = await first.ended;
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /zeta\.bin/, 'the error names the file');
    assert.match(
      failed.stderr,
      /3 of 4 volumes are written and kept in .*run the same ferry export command again to continue from there, or remove that folder to give the export up\./s,
    );
    assert.equal((await completedVolumes(bundle)).length, 3, 'the complete volumes and their record are kept');
    await assert.rejects(fs.stat(path.join(bundle, 'SHA256SUMS.sig')), 'nothing looks complete');
    assert.deepEqual(
      (await ledgerEvents(home)).filter((e) => e.type === 'export.failed').map((e) => e.volumesKept),
      [3],
      'the ledger says what the failure kept',
    );
    assert.deepEqual(
      (await ledgerEvents(home)).filter((e) => e.type === 'attention.dismissed'),
      [],
      'the command line taking its own job off the list is not a person dismissing something on Home',
    );

    await fs.rename(`${last}.away`, last);
    const second = await startExport(home, bundle, withLast).ended;
    assert.equal(second.code, 0, second.stderr);
    const total = await bundleBytes(like);
    t.diagnostic(`written by the second run: ${second.written} of ${total} bytes`);
    assert.ok(second.written <= 0.4 * total, `the second run wrote ${second.written} bytes of a ${total}-byte bundle`);
    await assertSameAsClean(home, bundle, like);
    const types = (await ledgerEvents(home)).map((e) => e.type);
    assert.equal(types.filter((type) => type === 'export.requested').length, 1, 'the second run continues the same export');
  });

  test('an export that fails while laying out its discs keeps every volume; the same command only signs and lays them out again', async (t) => {
    const home = path.join(work, 'discs-home');
    const bundle = path.join(work, 'discs');
    const asDiscs = ['--layout', 'discs'];
    const first = startExport(home, bundle, asDiscs);
    await untilVolumes(bundle, 1, first.ended);
    // Stands for whatever fails while the discs are laid out (a full or failing disk): disc-03's folder cannot be made.
    await fs.writeFile(path.join(bundle, 'disc-03'), 'in the way');
    const failed = await first.ended;
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /4 of 4 volumes are written and kept/);
    const signatures = async () => (await fs.readdir(bundle, { recursive: true })).filter((f) => path.basename(String(f)) === 'SHA256SUMS.sig');
    assert.deepEqual(await signatures(), [], 'neither the folder nor a disc looks complete');

    await fs.rm(path.join(bundle, 'disc-03'));
    const second = await startExport(home, bundle, asDiscs).ended;
    assert.equal(second.code, 0, second.stderr);
    const total = await bundleBytes(clean);
    t.diagnostic(`written by the second run: ${second.written} of ${total} bytes`);
    assert.ok(second.written <= 0.05 * total, `the second run wrote ${second.written} bytes: no volume again`);
    assert.deepEqual((await fs.readdir(bundle)).sort(), ['disc-01', 'disc-02', 'disc-03', 'disc-04']);
    const volumes = await volumeFiles(clean);
    for (const [i, file] of volumes.entries()) {
      const disc = path.join(bundle, `disc-0${i + 1}`);
      assert.ok((await fs.readFile(path.join(disc, file))).equals(await fs.readFile(path.join(clean, file))), `${file} differs`);
      const sums = await run('sha256sum', ['-c', '--ignore-missing', 'SHA256SUMS'], { cwd: disc });
      assert.equal(sums.code, 0, sums.stdout + sums.stderr);
    }
    assert.equal((await signatures()).length, 4, 'each disc is signed');
  });

  test('Ctrl-C lets the flush finish and stops with exit 1, keeping the volumes; the same command continues', async () => {
    const home = path.join(work, 'sigint-home');
    const bundle = path.join(work, 'interrupted');
    const first = startExport(home, bundle);
    await untilVolumes(bundle, 1, first.ended);
    // The signal goes to ferry itself (sh's child), as a terminal's Ctrl-C does to the foreground job.
    process.kill(await ferryPid(first.child), 'SIGINT');
    const stopped = await first.ended;
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.match(stopped.stderr, /Run the same ferry export command again to continue/);
    assert.ok((await completedVolumes(bundle)).length >= 1, 'the complete volumes are kept');
    assert.ok((await ledgerTypes(home)).includes('export.paused'));

    const again = startExport(home, bundle);
    const done = await again.ended;
    assert.equal(done.code, 0, done.stderr);
    await assertSameAsClean(home, bundle);
  });

  test('Pause in the job runner records export.paused; Resume finishes a bundle equal to a clean export', async () => {
    const home = path.join(work, 'runner-home');
    const bundle = path.join(work, 'paused');
    process.env.FERRY_OPERATOR = 'Resume Test';
    const runner = await JobRunner.open(home);
    const ended = (state: string) =>
      new Promise<Job>((resolve) => {
        const stop = runner.onUpdate((job) => {
          if (job.state !== state) return;
          stop();
          resolve(job);
        });
      });
    try {
      const request = ExportRequest.parse({ destination: work, folder: 'paused', name: NAME, volumeSize: 32 * MiB, files: [data] });
      const paused = ended('paused');
      const job = await runner.start('export', request, 'Export of weights.bin');
      await untilVolumes(bundle, 1, paused);
      runner.pause(job.id);
      assert.equal((await paused).state, 'paused');
      const kept = await completedVolumes(bundle);
      assert.ok(kept.length >= 1 && kept.length < 4, `${kept.length} volumes kept`);
      const types = await ledgerTypes(home);
      assert.ok(types.includes('export.paused'), types.join(', '));
      assert.ok(!types.includes('export.cancelled') && !types.includes('export.failed'));

      const completed = ended('completed');
      await runner.resume(job.id);
      const done = await completed;
      assert.equal(done.state, 'completed', JSON.stringify(done.error));
      assert.equal((await ledgerTypes(home)).filter((t) => t === 'export.requested').length, 1, 'Resume continues the same export');
    } finally {
      await runner.close();
    }
    await assertSameAsClean(home, bundle);
  });

  test('dismissed on Home, a paused export takes its kept volumes and its folder with it, and the ledger says so', async () => {
    const home = path.join(work, 'dismiss-home');
    const renderer = path.join(work, 'dismiss-renderer');
    await fs.mkdir(renderer, { recursive: true });
    await fs.writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>Ferry</title>');
    const host = await startHost({ home, rendererDir: renderer, browseRoots: [work] });
    const session = await loginToHost(host.url);
    const rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
    const bundle = path.join(work, 'dismissed');
    const stateOf = (id: string, state: string) => (e: { event: string; data: any }) => e.event === 'job.updated' && e.data.id === id && e.data.state === state;
    try {
      assert.ok((await rpc.call('fs.list', { path: work, includeFiles: true })).ok, 'the folder is granted by listing it');
      const started = await rpc.call('export.start', { destination: work, folder: 'dismissed', name: NAME, volumeSize: 32 * MiB, files: [data] });
      assert.ok(started.ok, started.error?.message);
      const id = started.result.id as string;
      await untilVolumes(bundle, 1, new Promise(() => undefined));
      assert.ok((await rpc.call('jobs.pause', { id })).ok);
      await rpc.waitFor(stateOf(id, 'paused'));
      const kept = (await completedVolumes(bundle)).length;
      assert.ok(kept >= 1 && kept < 4, `${kept} volumes kept`);
      assert.ok(
        (await fs.readdir(bundle)).some((f) => f === partialName(`${NAME}.tar.001`)),
        'the kept volumes wait under their hidden names',
      );

      const dismissed = await rpc.call('jobs.dismiss', { id, removeKeptVolumes: true });
      assert.ok(dismissed.ok, dismissed.error?.message);
      assert.deepEqual(dismissed.result.removed, { dir: bundle, volumes: kept });
      await assert.rejects(fs.stat(bundle), 'the bundle folder the export made is gone with its volumes');
      assert.equal(((await rpc.call('jobs.list')).result.jobs as Job[]).filter((j) => j.id === id).length, 0, 'the job is off the list');
      const line = (await ledgerEvents(home)).find((e) => e.type === 'attention.dismissed' && e.job === id);
      assert.deepEqual(line?.removed, { dir: bundle, volumes: kept }, 'the ledger records what was removed, from where');
    } finally {
      rpc.close();
      await host.close();
    }
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Job } from '../../shared/rpc.js';
import { ferry, tempDir } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { JobRunner } from './runner.js';
import { JOB_THREAD } from './job-thread.js';
import { startThreadAhead } from '../util/thread-ahead.js';

let work: string;
let store: string;

before(async () => {
  work = await tempDir('runner');
  store = path.join(work, 'store');
  await makeOllamaStore(store, [{ name: 'big:1', modelBytes: 256 * 1024 * 1024 }]);
});
after(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

function settled(runner: JobRunner, id: string): Promise<Job> {
  return new Promise((resolve) => {
    const off = runner.onUpdate((job) => {
      if (job.id === id && job.state !== 'running') {
        off();
        resolve(job);
      }
    });
  });
}

function firstProgress(runner: JobRunner, id: string): Promise<void> {
  return new Promise((resolve) => {
    const off = runner.onUpdate((job) => {
      if (job.id === id && job.progress && job.progress.bytesDone > 0) {
        off();
        resolve();
      }
    });
  });
}

const exportRequest = (name: string) => ({
  store,
  models: ['big:1'],
  images: [],
  charts: [],
  platforms: [],
  hf: [],
  files: [],
  volumeSize: 64 * 1024 * 1024,
  destination: work,
  name,
});

test('a job the app did not finish comes back as interrupted, and resumes to completion', async () => {
  const home = path.join(work, 'home-resume');
  const first = await JobRunner.open(home);
  const job = await first.start('export', exportRequest('resumed'), 'Export of big:1');
  await firstProgress(first, job.id);
  await first.close(); // the app stops mid-export: the worker is killed, the job file still says running

  const second = await JobRunner.open(home);
  const recovered = second.get(job.id);
  assert.equal(recovered.state, 'interrupted');
  const done = settled(second, job.id);
  await second.resume(job.id);
  const finished = await done;
  assert.equal(finished.state, 'completed', JSON.stringify(finished.error));
  const files = await fs.readdir(path.join(work, 'resumed'));
  assert.ok(files.includes('SHA256SUMS.sig'));
  assert.ok(!files.some((f) => f.endsWith('.partial')), 'no partial volume left over from the interrupted run');
  await second.close();
});

test('a command-line run beside a running job leaves that job running on disk', async () => {
  const home = path.join(work, 'home-beside');
  const runner = await JobRunner.open(home);
  const job = await runner.start('export', exportRequest('beside'), 'Export of big:1');
  await firstProgress(runner, job.id);
  const done = settled(runner, job.id);
  const cli = await ferry(home, ['ledger', 'bundles', '--json']);
  assert.equal(cli.code, 0, cli.stderr);
  const onDisk = JSON.parse(await fs.readFile(path.join(home, 'jobs', `${job.id}.json`), 'utf8')) as Job;
  assert.notEqual(onDisk.state, 'interrupted', 'the command-line run marked the running job interrupted');
  const finished = await done;
  assert.equal(finished.state, 'completed', JSON.stringify(finished.error));
  await runner.close();
});

test('cancelling a running export stops it and leaves no bundle behind', async () => {
  const runner = await JobRunner.open(path.join(work, 'home-cancel'));
  const job = await runner.start('export', exportRequest('cancelled'), 'Export of big:1');
  await firstProgress(runner, job.id);
  const done = settled(runner, job.id);
  runner.cancel(job.id);
  const finished = await done;
  assert.equal(finished.state, 'cancelled', JSON.stringify(finished.error));
  assert.equal(finished.error?.code, 'CANCELLED');
  const left = await fs.readdir(path.join(work, 'cancelled')).catch(() => []);
  assert.deepEqual(left, []);
  await runner.close();
});

test('a job takes the thread started ahead of it (the command line starts one while it loads); one that died is replaced', async () => {
  const home = path.join(work, 'home-ahead');
  const runner = await JobRunner.open(home);
  const ahead = startThreadAhead(JOB_THREAD);
  const job = await runner.start('export', exportRequest('ahead'), 'Export of big:1');
  const exited = new Promise((resolve) => ahead.once('exit', resolve));
  const done = await settled(runner, job.id);
  assert.equal(done.state, 'completed', JSON.stringify(done.error));
  await exited; // the thread started ahead ran the job and ended with it

  const dead = startThreadAhead(JOB_THREAD);
  await dead.terminate();
  const again = await runner.start('verify', { dir: path.join(work, 'ahead'), trust: [path.join(home, 'keys', 'site.pub.pem')] }, 'Verification');
  const verified = await settled(runner, again.id);
  assert.equal(verified.state, 'completed', JSON.stringify(verified.error));
  await runner.close();
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertRan, FERRY_BIN, ferry, jsonOf, listFiles, run, tempDir, type RunResult } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';

const repo = path.dirname(path.dirname(FERRY_BIN));
const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

/**
 * npm run dist:cli's tarball, unpacked into an empty folder and run as on a disconnected bastion:
 * PATH holds no node (only sh and readlink), HOME is an empty folder, nothing else in the environment.
 */
describe('the self-contained CLI tarball on a machine with no Node', () => {
  let work: string;
  let tarball: string;
  let installed: string;
  let env: NodeJS.ProcessEnv;
  let homeA: string;
  let store: string;
  let discs: string;
  let pubA: string;

  /** bin/ferry of the unpacked tarball, called through a symlink on PATH as an installer leaves it. */
  const cli = (args: string[]): Promise<RunResult> => run('ferry', args, { env, exactEnv: true, cwd: work });

  before(async () => {
    work = await tempDir('dist-cli');
    const built = await run(process.execPath, [path.join(repo, 'scripts', 'dist-cli.mjs'), '--out', path.join(work, 'release')], { cwd: repo });
    assertRan(built, 'npm run dist:cli');
    tarball = built.stdout.split('\n')[0]!.trim();
    assert.match(path.basename(tarball), /^ferry-cli-\d+\.\d+\.\d+-linux-x64\.tar\.gz$/);

    installed = path.join(work, 'opt');
    const bin = path.join(work, 'path-bin');
    const home = path.join(work, 'empty-home');
    for (const dir of [installed, bin, home]) await fs.mkdir(dir);
    assertRan(await run('tar', ['-xzf', tarball, '-C', installed]), 'tar -x');
    const [folder] = await fs.readdir(installed);
    await fs.symlink('/bin/sh', path.join(bin, 'sh'));
    await fs.symlink((await run('sh', ['-c', 'command -v readlink'])).stdout.trim(), path.join(bin, 'readlink'));
    await fs.symlink(path.join(installed, folder!, 'bin', 'ferry'), path.join(bin, 'ferry'));
    env = { PATH: bin, HOME: home };

    // Site A, connected, with the checkout: one model, laid out as two discs.
    homeA = path.join(work, 'home-a');
    store = path.join(work, 'store-a');
    await makeOllamaStore(store, [{ name: 'granite4.1:8b', modelBytes: 1536 * 1024 + 7, license: 'Apache-2.0' }]);
    const exported = await ferry(homeA, [
      'export',
      '--out',
      path.join(work, 'usb', 'granite'),
      '--ollama-store',
      store,
      '--ollama',
      'granite4.1:8b',
      '--volume-size',
      '1MiB',
      '--layout',
      'discs',
    ]);
    assertRan(exported, 'export');
    discs = path.join(work, 'usb', 'granite');
    pubA = path.join(work, 'site-a.pub.pem');
    assertRan(await ferry(homeA, ['keys', 'export-public', pubA]), 'keys export-public');
  });
  after(async () => {
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('it holds its own SHA256SUMS and README, and --version names Ferry, the commit and the bundled Node, with no node on PATH', async () => {
    const [folder] = await fs.readdir(installed);
    const sums = await run('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: path.join(installed, folder!) });
    assert.equal(sums.code, 0, sums.stdout + sums.stderr);
    assert.match(await fs.readFile(path.join(installed, folder!, 'README.txt'), 'utf8'), /Uninstall/);
    assert.notEqual((await cli(['--version'])).code, 127);
    assert.notEqual((await run('sh', ['-c', 'command -v node'], { env, exactEnv: true })).code, 0, 'no node on PATH');
    const version = await cli(['--version']);
    assertRan(version, 'ferry --version');
    const pkg = JSON.parse(await fs.readFile(path.join(repo, 'package.json'), 'utf8')) as { version: string };
    assert.match(version.stdout, new RegExp(`^ferry ${pkg.version.replaceAll('.', '\\.')} \\(commit [0-9a-f]{12}, Node v24\\.\\d+\\.\\d+\\)\\n$`));
    const stat = await fs.stat(tarball);
    assert.ok(stat.size < 100 * 1024 * 1024, `the tarball is ${stat.size} bytes`);
  });

  test('stage disc by disc, verify, and import into an Ollama store byte-exact', async () => {
    const staging = path.join(work, 'staging');
    const discNames = (await fs.readdir(discs)).filter((d) => d.startsWith('disc-')).sort();
    assert.ok(discNames.length >= 2);
    for (const disc of discNames.reverse())
      assertRan(await cli(['stage', '--from', path.join(discs, disc), '--to', staging, '--trust', pubA]), `stage ${disc}`);
    const verified = await cli(['verify', staging, '--trust', pubA]);
    assertRan(verified, 'verify');
    assert.match(verified.stdout, /Verified/);
    const storeB = path.join(work, 'store-b');
    assertRan(await cli(['import', staging, '--trust', pubA, '--to-ollama-store', storeB]), 'import');
    const files = await listFiles(store);
    assert.deepEqual((await listFiles(storeB)).sort(), [...files].sort());
    for (const file of files) assert.equal(await sha256(path.join(storeB, file)), await sha256(path.join(store, file)), file);
  });

  test('ferry serve prints its URL, and the URL opens the wizard', async () => {
    const child = spawn('ferry', ['serve'], { env: { ...env, FERRY_HOME: path.join(work, 'serve-home') }, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        const timer = setTimeout(() => reject(new Error(`no URL within 20 s: ${output}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          output += d.toString();
          const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[0]);
          }
        });
      });
      // The token buys a session cookie once; with it, the wizard's page is served from the tarball's renderer.
      const first = await fetch(url, { redirect: 'manual' });
      const cookie = first.headers.get('set-cookie')?.split(';')[0];
      const page = first.status === 200 ? first : await fetch(new URL('/', url), { headers: cookie ? { cookie } : {} });
      assert.equal(page.status, 200, `GET ${url}: ${first.status}`);
      assert.match(await page.text(), /<title>Ferry<\/title>/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
    }
  });

  test('it rides in a bundle as an installer and is saved byte-exact on the far side', async () => {
    const bundle = path.join(work, 'usb', 'with-cli');
    const exported = await ferry(homeA, ['export', '--out', bundle, '--include-installer', tarball, '--json']);
    assertRan(exported, 'export --include-installer');
    assert.ok(jsonOf(exported).result.artifacts.some((a: { installer?: string }) => a.installer === 'cli'));
    const saved = path.join(work, 'saved');
    const imported = await cli(['import', bundle, '--trust', pubA, '--save-installer', saved]);
    assertRan(imported, 'import --save-installer');
    assert.equal(await sha256(path.join(saved, path.basename(tarball))), await sha256(tarball));
  });
});

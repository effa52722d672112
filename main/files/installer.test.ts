import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ferry, listFiles, tempDir, type RunResult } from '../testing/cli.js';

const json = (r: RunResult) => JSON.parse(r.stdout) as { ok: boolean; result: any };
const ok = (r: RunResult, what: string) => assert.equal(r.code, 0, `${what}: ${r.stderr}${r.stdout}`);

describe('Ferry rides in its own bundle: --include-installer and --save-installer', () => {
  let work: string;
  let homeA: string;
  let homeB: string;
  let installer: string;
  let runbook: string;
  let bundle: string;

  before(async () => {
    work = await tempDir('installer');
    homeA = path.join(work, 'a');
    homeB = path.join(work, 'b');
    installer = path.join(work, 'Ferry-0.1.0-x86_64.AppImage');
    runbook = path.join(work, 'runbook.md');
    await fs.writeFile(installer, randomBytes(300 * 1024));
    await fs.writeFile(runbook, '# Runbook\n');
    bundle = path.join(work, 'usb', 'with-ferry');
    const exported = await ferry(homeA, ['export', '--out', bundle, '--file', runbook, '--include-installer', installer, '--json']);
    ok(exported, 'export');
    ok(await ferry(homeA, ['keys', 'export-public', path.join(work, 'a.pub.pem')]), 'public key');
    ok(await ferry(homeB, ['keys', 'trust', path.join(work, 'a.pub.pem')]), 'trust');
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  test('the installer is a signed plain-file artifact marked as Ferry’s installer', async () => {
    const index = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8'));
    const carried = index.artifacts.find((a: { ref: string }) => a.ref === 'ferry.local/ferry-installer/ferry-0.1.0-x86_64.appimage:latest');
    assert.ok(carried, JSON.stringify(index.artifacts.map((a: { ref: string }) => a.ref)));
    assert.equal(carried.kind, 'files');
    assert.equal(carried.installer, 'appimage');
    const inspected = await ferry(homeB, ['inspect', bundle]);
    assert.match(inspected.stdout, /Ferry installer \(appimage\)/);
    ok(await ferry(homeB, ['verify', bundle]), 'verify');
  });

  test('--save-installer takes the installer and --to-dir the files; without it the installer goes with the files', async () => {
    const files = path.join(work, 'files');
    const saved = path.join(work, 'installer-here');
    ok(await ferry(homeB, ['import', bundle, '--to-dir', files, '--save-installer', saved]), 'import');
    assert.deepEqual(await listFiles(saved), ['Ferry-0.1.0-x86_64.AppImage']);
    assert.deepEqual(await listFiles(files), ['runbook.md']);
    assert.deepEqual(await fs.readFile(path.join(saved, 'Ferry-0.1.0-x86_64.AppImage')), await fs.readFile(installer));

    const together = path.join(work, 'together');
    const result = json(await ferry(homeB, ['import', bundle, '--to-dir', together, '--json'])).result;
    assert.deepEqual(await listFiles(together), ['Ferry-0.1.0-x86_64.AppImage', 'runbook.md']);
    assert.equal(result.artifacts.find((a: { installer?: string }) => a.installer === 'appimage').target, 'dir');

    const onlyInstaller = json(await ferry(homeB, ['import', bundle, '--save-installer', path.join(work, 'only'), '--json'])).result;
    const skipped = onlyInstaller.artifacts.find((a: { ref: string }) => a.ref.includes('/files/runbook.md'));
    assert.equal(skipped.status, 'skipped');
    assert.deepEqual(await listFiles(path.join(work, 'only')), ['Ferry-0.1.0-x86_64.AppImage']);
  });

  test('an import without a place for it says how to save the installer', async () => {
    const store = path.join(work, 'store');
    const result = json(await ferry(homeB, ['import', bundle, '--to-ollama-store', store, '--json'])).result;
    const skipped = result.artifacts.find((a: { installer?: string }) => a.installer === 'appimage');
    assert.equal(skipped.status, 'skipped');
    assert.match(skipped.reason, /--save-installer DIR/);
  });

  test('only an AppImage, deb or exe is taken as the installer', async () => {
    const refused = await ferry(homeA, ['export', '--out', path.join(work, 'no'), '--include-installer', runbook]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /runbook\.md is not a Ferry installer/);
    await assert.rejects(fs.stat(path.join(work, 'no')));
  });
});

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeOllamaStore } from '../dist/main/testing/ollama-fixture.js';
import { repo, startFerryHost, tempDir, type RunningHost } from './support/host.js';
import { chooseFolder, shot } from './support/page.js';

/** Ferry rides in its own bundle: the far side's Import wizard offers to save the installer it carries. */
let work: string;
let siteB: RunningHost;

function ferryCli(home: string, args: string[]): string {
  return execFileSync(process.execPath, [path.join(repo, 'bin', 'ferry.js'), ...args], { env: { ...process.env, FERRY_HOME: home }, encoding: 'utf8' });
}

test.beforeAll(async () => {
  work = await tempDir('installer');
  await makeOllamaStore(path.join(work, 'store'), [{ name: 'granite4.1:8b', modelBytes: 512 * 1024 }]);
  await fs.writeFile(path.join(work, 'Ferry-0.1.0-x86_64.AppImage'), randomBytes(256 * 1024));
  const homeA = path.join(work, 'home-a');
  ferryCli(homeA, [
    'export',
    '--out',
    path.join(work, 'usb', 'with-ferry'),
    '--ollama-store',
    path.join(work, 'store'),
    '--ollama',
    'granite4.1:8b',
    '--include-installer',
    path.join(work, 'Ferry-0.1.0-x86_64.AppImage'),
  ]);
  const homeB = path.join(work, 'home-b');
  ferryCli(homeB, ['keys', 'trust', path.join(homeA, 'keys', 'site.pub.pem')]);
  await fs.mkdir(path.join(work, 'pvc'));
  await fs.mkdir(path.join(work, 'tools'));
  siteB = await startFerryHost({ home: homeB });
});

test.afterAll(async () => {
  await siteB?.stop();
  await fs.rm(work, { recursive: true, force: true });
});

test('import a model; the Done page offers the Ferry installer the bundle carries, and saves it byte-exact', async ({ page }, testInfo) => {
  await siteB.open(page);
  await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
  await chooseFolder(page, 'Bundle folder', path.join(work, 'usb', 'with-ferry'));
  await expect(page.getByText(/^Signed by a trusted key/)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await chooseFolder(page, 'Ollama store folder', path.join(work, 'pvc'), 'Tab');
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });

  const section = page.getByRole('region', { name: "Ferry's installer" });
  await expect(section).toContainText('AppImage for Linux');
  await chooseFolder(page, "Folder for Ferry's installer", path.join(work, 'tools'), 'Tab');
  await section.getByRole('button', { name: "Save Ferry's installer" }).click();
  await expect(section.getByRole('status').filter({ hasText: "Ferry's installer is saved in" })).toBeVisible({ timeout: 30_000 });
  await shot(page, testInfo, '50-import-save-installer', section);
  expect(await fs.readFile(path.join(work, 'tools', 'Ferry-0.1.0-x86_64.AppImage'))).toEqual(await fs.readFile(path.join(work, 'Ferry-0.1.0-x86_64.AppImage')));
});

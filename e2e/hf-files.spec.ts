import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { flipByte, listFiles } from '../dist/main/testing/cli.js';
import { makeHfCache, type HfFixtureCache } from '../dist/main/testing/hf-fixture.js';
import { hfOfflineResolve } from '../dist/main/testing/hf-resolver.js';
import { repo, startFerryHost, tempDir, type RunningHost } from './support/host.js';
import { chooseFolder, shot } from './support/page.js';

/**
 * Hugging Face repos and plain files across the gap, disc by disc, in Chromium through the browser
 * host: site A ticks two repo revisions in its HF cache and adds a runbook folder and a file, and
 * writes 1 MiB volumes; the volumes go onto three "discs"; site B copies them one at a time through
 * the same drive folder (a disc from an unknown signer, then a damaged disc, are refused on the
 * way), verifies the staged bundle, rebuilds the repos in a new HF cache and restores the files.
 */
test.describe.configure({ mode: 'serial' });

const SMALL_FILES = ['SHA256SUMS', 'SHA256SUMS.sig', 'BUNDLE.json', 'signer.pub.pem', 'VERIFY.txt'];
const NAME = 'hf-files-e2e';

let work: string;
let fixture: HfFixtureCache;
let runbook: string;
let licence: string;
let bundleDir: string;
let discs: string[];
let siteA: RunningHost;
let siteB: RunningHost;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir`, relative, with its sha256. */
async function tree(dir: string): Promise<string[]> {
  const files = await listFiles(dir);
  return Promise.all(files.sort().map(async (f) => `${f} ${sha256(await fs.readFile(path.join(dir, f)))}`));
}

/** "Inserts" a disc: the drive folder (one mount point) now holds that disc's files only. */
async function insert(drive: string, disc: string): Promise<void> {
  for (const name of await fs.readdir(drive)) await fs.rm(path.join(drive, name), { recursive: true, force: true });
  await fs.cp(disc, drive, { recursive: true });
}

test.beforeAll(async () => {
  work = await tempDir('hf-files');
  fixture = await makeHfCache(path.join(work, 'hf-source'));
  runbook = path.join(work, 'runbook');
  await fs.mkdir(path.join(runbook, 'k8s', 'overlays'), { recursive: true });
  await fs.writeFile(path.join(runbook, 'README.md'), '# Air-gap runbook\n\n1. Copy each disc.\n2. Verify.\n');
  await fs.writeFile(path.join(runbook, 'k8s', 'overlays', 'values.yaml'), 'replicas: 2\nimage:\n  pullPolicy: IfNotPresent\n');
  await fs.writeFile(path.join(runbook, 'checklist.txt'), 'seal intact\nsigner fingerprint compared\n');
  licence = path.join(work, 'LICENSE-runbook.txt');
  await fs.writeFile(licence, 'CC-BY-4.0\n');
  for (const dir of ['usb', 'empty-ollama', 'pvc/hf/hub', 'restored', 'staging', 'cdrom', 'no-disc']) await fs.mkdir(path.join(work, dir), { recursive: true });
  bundleDir = path.join(work, 'usb', NAME);
  const common = { OLLAMA_MODELS: path.join(work, 'empty-ollama') };
  siteA = await startFerryHost({ home: path.join(work, 'home-a'), env: { ...common, HF_HOME: path.join(work, 'hf-home-a') } });
  siteB = await startFerryHost({ home: path.join(work, 'home-b'), env: { ...common, HF_HOME: path.join(work, 'hf-home-b') } });
});

test.afterAll(async () => {
  await siteA?.stop();
  await siteB?.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

test('export on site A: two Hugging Face revisions, a folder and a file, on 1 MiB volumes', async ({ page }, testInfo) => {
  await siteA.open(page);
  await page.getByRole('button', { name: 'Export (connected side)' }).click();
  await page.getByRole('tab', { name: 'Hugging Face' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Cannot read the Hugging Face cache' })).toBeVisible();
  await chooseFolder(page, 'Hugging Face cache folder', fixture.cache, 'Tab');

  const table = page.getByRole('table', { name: 'Hugging Face repositories' });
  await expect(table.locator('tr[data-spec]')).toHaveCount(5);
  await expect(table.locator(`[data-digest="${fixture.model.pr.commit}"]`)).toBeVisible();
  await expect(table.getByRole('checkbox', { name: `Select acme/tiny-embed@${fixture.model.old.commit}` })).toBeVisible();
  await table.getByRole('checkbox', { name: 'Select acme/tiny-embed@main' }).check();
  await table.getByRole('checkbox', { name: 'Select datasets/acme/tiny-set@main' }).check();
  await expect(page.getByRole('status').filter({ hasText: '2 Hugging Face revisions selected' })).toBeVisible();
  await shot(page, testInfo, '30-export-hugging-face', table);

  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByRole('button', { name: 'Add a folder…' }).click();
  const folderDialog = page.getByRole('dialog', { name: 'Choose a folder to carry' });
  await folderDialog.getByRole('textbox', { name: 'Folder path' }).fill(runbook);
  await folderDialog.getByRole('button', { name: 'Go' }).click();
  await expect(folderDialog.getByRole('button', { name: 'k8s' })).toBeVisible();
  await folderDialog.getByRole('button', { name: 'Choose this folder' }).click();

  await page.getByRole('button', { name: 'Add files…' }).click();
  const fileDialog = page.getByRole('dialog', { name: 'Choose files to carry' });
  await expect(fileDialog.getByRole('textbox', { name: 'Folder path' })).toHaveValue(work);
  await fileDialog.getByRole('checkbox', { name: 'LICENSE-runbook.txt' }).check();
  await shot(page, testInfo, '31-export-file-browser', fileDialog);
  await fileDialog.getByRole('button', { name: 'Add selected files' }).click();

  const files = page.getByRole('table', { name: 'Files to carry' });
  await expect(files.getByRole('row')).toHaveCount(3);
  await expect(files.locator(`tr[data-path="${runbook}"]`)).toContainText('Folder');
  await expect(files.locator(`tr[data-path="${licence}"]`)).toContainText('10 B');
  await expect(page.getByRole('status').filter({ hasText: '2 Hugging Face revisions selected, 1 file and 1 folder added' })).toBeVisible();
  await shot(page, testInfo, '32-export-files', files);
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Media' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Media' }).click();
  await page.getByRole('option', { name: 'Custom size' }).click();
  await page.getByRole('textbox', { name: 'Volume size' }).fill('1MiB');
  await chooseFolder(page, 'Destination folder', path.join(work, 'usb'), 'Tab');
  await page.getByRole('textbox', { name: 'Bundle name' }).fill(NAME);
  await expect(page.getByText('Free at destination')).toBeVisible();
  await page.getByRole('button', { name: 'Build bundle' }).click();

  // Reading the media back is its own test (custody.spec.ts); here the medium is recorded later.
  await expect(page.getByRole('heading', { level: 2, name: 'Verify media' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Skip (record later)' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });
  const contents = page.getByRole('table', { name: 'Bundle contents' });
  await expect(contents).toContainText('huggingface.co/acme/tiny-embed:main');
  await expect(contents).toContainText('huggingface.co/datasets/acme/tiny-set:main');
  await expect(contents.getByText('Files', { exact: true })).toHaveCount(2);
  await shot(page, testInfo, '33-export-done', contents);

  const volumes = (await fs.readdir(bundleDir)).filter((f) => f.startsWith(`${NAME}.tar.`)).sort();
  expect(volumes.length).toBeGreaterThanOrEqual(3);
  discs = [0, 1, 2].map((i) => path.join(work, `disc-${i + 1}`));
  for (const [i, disc] of discs.entries()) {
    await fs.mkdir(disc);
    // The last disc carries volumes only: it is checked against the signed SHA256SUMS the first discs staged.
    if (i < 2) for (const file of SMALL_FILES) await fs.copyFile(path.join(bundleDir, file), path.join(disc, file));
    for (const [v, volume] of volumes.entries())
      if (Math.floor((v * 3) / volumes.length) === i) await fs.copyFile(path.join(bundleDir, volume), path.join(disc, volume));
  }
});

test('import on site B disc by disc: an unknown signer and a damaged disc are refused on the way, then the cache and the files are rebuilt byte-exact', async ({
  page,
}, testInfo) => {
  const drive = path.join(work, 'cdrom');
  const staging = path.join(work, 'staging');
  const hubB = path.join(work, 'pvc', 'hf', 'hub');
  const restored = path.join(work, 'restored');
  const volumesOn = async (disc: string) => (await fs.readdir(disc)).filter((f) => f.includes('.tar.')).sort();
  const copy = page.getByRole('button', { name: 'Copy this disc' });
  const status = page.getByRole('status').filter({ hasText: 'This disc is copied' });

  await siteB.open(page);
  await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
  await page.getByRole('radio', { name: 'Disc by disc' }).check();
  await insert(drive, discs[0]!);
  await chooseFolder(page, 'Disc folder', drive, 'Tab');
  await chooseFolder(page, 'Staging folder', staging, 'Tab');
  await copy.click();

  const refused = page.getByRole('alert').filter({ hasText: 'This disc was refused' });
  await expect(refused).toContainText('Its signature is valid, but it was made with a key this site has not pinned.');
  await expect(refused).not.toContainText('ferry keys'); // the wizard's own words, no command line
  await shot(page, testInfo, '34-import-disc-untrusted', refused);
  await refused.getByRole('button', { name: 'Trust this key…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Trust a public key' });
  await dialog.getByRole('textbox', { name: 'Public key (PEM)' }).fill(await fs.readFile(path.join(siteA.home, 'keys', 'site.pub.pem'), 'utf8'));
  await expect(dialog.getByText("This key's fingerprint matches the bundle's signer.")).toBeVisible();
  await dialog.getByRole('checkbox', { name: 'I compared this fingerprint with the one the exporting site gave me' }).check();
  await dialog.getByRole('button', { name: 'Trust key' }).click();

  const first = await volumesOn(discs[0]!);
  await expect(status).toContainText('Still missing');
  await expect(status).toContainText(`Copied: ${first[0]}`);
  await expect(page.getByText('Insert the next disc, then Copy this disc.')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Volumes staged' })).toHaveAttribute(
    'aria-valuetext',
    new RegExp(`^${first.length} of \\d+ volumes staged$`),
  );
  await shot(page, testInfo, '35-import-disc-1-copied', status);

  const damaged = path.join(work, 'disc-2-damaged');
  await fs.cp(discs[1]!, damaged, { recursive: true });
  const second = await volumesOn(discs[1]!);
  await flipByte(path.join(damaged, second.at(-1)!), 1000);
  await insert(drive, damaged);
  await copy.click();
  const damagedAlert = page.getByRole('alert').filter({ hasText: 'This disc was refused' });
  await expect(damagedAlert).toContainText(second.at(-1)!);
  await expect(damagedAlert).toContainText('does not match SHA256SUMS');
  await shot(page, testInfo, '36-import-disc-damaged', damagedAlert);

  await insert(drive, discs[1]!);
  await copy.click();
  await expect(status).toContainText('Still missing');
  if (second.length > 1) await expect(status).toContainText('Already staged');

  await insert(drive, path.join(work, 'no-disc'));
  await copy.click();
  await expect(page.getByRole('alert').filter({ hasText: /The drive at .* is empty: no disc is in it/ })).toBeVisible();

  await insert(drive, discs[2]!);
  await page.getByRole('textbox', { name: 'Disc ID' }).fill('BD-0003');
  await page.getByRole('textbox', { name: 'Disc label' }).fill('Disc 3 of 3');
  await page.getByRole('textbox', { name: 'Seal number' }).fill('S-2203');
  await shot(page, testInfo, '37a-import-disc-recorded', page.getByRole('textbox', { name: 'Disc ID' }));
  await copy.click();
  const total = (await fs.readdir(bundleDir)).filter((f) => f.includes('.tar.')).length;
  const complete = page.getByRole('status').filter({ hasText: `All ${total} volumes are staged` });
  await expect(complete).toBeVisible();
  await expect(copy).toHaveCount(0);
  await shot(page, testInfo, '37-import-discs-complete', complete);
  const staged = JSON.parse(
    execFileSync(process.execPath, [path.join(repo, 'bin', 'ferry.js'), 'ledger', 'show', '--type', 'media.staged', '--json'], {
      env: { ...process.env, FERRY_HOME: siteB.home },
      encoding: 'utf8',
    }),
  ).result.entries.at(-1).event;
  expect(staged).toMatchObject({ medium: { id: 'BD-0003', label: 'Disc 3 of 3', seal: 'S-2203' }, volumesOnly: true, complete: true });

  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Verify' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Signed by a trusted key: ready to import')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Volumes checked' }).getByText('Checked during the import', { exact: true })).toHaveCount(total);
  // The officer can still read the media back before choosing targets: an explicit action.
  await page.getByRole('button', { name: 'Read the media back' }).click();
  await expect(page.getByText('Signed by a trusted key, and every volume read back intact')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('table', { name: 'Volumes checked' }).getByText('OK', { exact: true })).toHaveCount(total);
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Targets' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Install Ollama models into a store' })).toBeDisabled();
  await expect(page.getByRole('checkbox', { name: 'Rebuild Hugging Face repos in a cache' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Restore files into a folder' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Push to a registry' })).not.toBeChecked();
  await chooseFolder(page, 'Hugging Face cache folder', hubB, 'Tab');
  await chooseFolder(page, 'Folder for files', restored, 'Tab');
  await expect(page.getByText('HF_HUB_OFFLINE=1').first()).toBeVisible();
  await shot(page, testInfo, '38-import-targets-hf-files', page.getByRole('region', { name: 'Hugging Face cache' }));
  await page.getByRole('button', { name: 'Start import' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });
  const imported = page.getByRole('table', { name: 'Imported artifacts' });
  await expect(imported.getByText('Hugging Face cache', { exact: true })).toHaveCount(2);
  await expect(imported.getByText('Folder', { exact: true })).toHaveCount(2);
  await expect(imported.locator(`[data-digest="${path.join(hubB, 'models--acme--tiny-embed')}"]`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy Hugging Face environment' })).toBeVisible();
  await shot(page, testInfo, '39-import-done-hf-files', imported);

  for (const [repo, repoType, revision] of [
    ['acme/tiny-embed', 'model', fixture.model.main],
    ['acme/tiny-set', 'dataset', fixture.dataset.main],
  ] as const) {
    for (const file of revision.files) {
      const found = await hfOfflineResolve({ repoId: repo, repoType, filename: file.path, revision: 'main', cacheDir: hubB });
      expect(found, `${repo}: ${file.path} resolves offline`).not.toBeNull();
      expect(sha256(await fs.readFile(found!)), `${repo}: ${file.path} byte-exact`).toBe(file.sha256);
    }
  }
  expect(await hfOfflineResolve({ repoId: 'acme/tiny-embed', filename: 'config.json', revision: 'refs/pr/1', cacheDir: hubB })).toBeNull();
  expect(await tree(path.join(restored, 'runbook'))).toEqual(await tree(runbook));
  expect(await fs.readFile(path.join(restored, 'LICENSE-runbook.txt'), 'utf8')).toBe('CC-BY-4.0\n');
});

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { flipByte } from '../dist/main/testing/cli.js';
import { breakModel, makeOllamaStore } from '../dist/main/testing/ollama-fixture.js';
import { repo, startFerryHost, tempDir, type RunningHost } from './support/host.js';
import { chooseFolder, shot } from './support/page.js';

/**
 * The wizard end to end, in Chromium, through the browser host (`ferry serve`) as a user runs it:
 * site A exports Ollama models from its store; site B, which does not trust A yet, verifies,
 * trusts A's key after comparing fingerprints, and imports into an empty Ollama store.
 */
test.describe.configure({ mode: 'serial' });

let work: string;
let storeA: string;
let bundleDir: string;
let siteA: RunningHost;
let siteB: RunningHost;

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.relative(dir, path.join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

function ferryCli(home: string, args: string[]): string {
  return execFileSync(process.execPath, [path.join(repo, 'bin', 'ferry.js'), ...args], { env: { ...process.env, FERRY_HOME: home }, encoding: 'utf8' });
}

test.beforeAll(async () => {
  work = await tempDir('wizard');
  storeA = path.join(work, 'store-a');
  await makeOllamaStore(storeA, [
    { name: 'granite4.1:8b', modelBytes: 3 * 1024 * 1024 + 777, license: 'Apache-2.0', quantization: 'Q4_K_M' },
    { name: 'acme/tiny:1', sharedWith: 'granite4.1:8b', manifestStyle: 'pretty' },
  ]);
  await fs.mkdir(path.join(work, 'usb'));
  await fs.mkdir(path.join(work, 'pvc', 'models'), { recursive: true });
  bundleDir = path.join(work, 'usb', 'models-e2e');
  siteA = await startFerryHost({ home: path.join(work, 'home-a'), env: { OLLAMA_MODELS: storeA } });
  siteB = await startFerryHost({ home: path.join(work, 'home-b'), env: { OLLAMA_MODELS: path.join(work, 'pvc', 'models') } });
});

test.afterAll(async () => {
  await siteA?.stop();
  await siteB?.stop();
  await fs.rm(work, { recursive: true, force: true });
});

test('export on site A: pick models, media and destination, build, and get the digest and the by-hand commands', async ({ page }, testInfo) => {
  await siteA.open(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  await expect(page).not.toHaveURL(/token=/);
  await shot(page, testInfo, '01-home-light');

  await page.getByRole('button', { name: 'Export (connected side)' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'What to carry' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Ollama models' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await page.getByRole('checkbox', { name: 'Select granite4.1:8b' }).check();
  await page.getByRole('checkbox', { name: 'Select acme/tiny:1' }).check();
  await expect(page.getByText(/2 of 2 models selected/)).toBeVisible();
  await shot(page, testInfo, '02-export-what-to-carry');
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Media' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Media' }).click();
  await page.getByRole('option', { name: 'Custom size' }).click();
  await page.getByRole('textbox', { name: 'Volume size' }).fill('1MiB');
  await chooseFolder(page, 'Destination folder', path.join(work, 'usb'));
  await page.getByRole('textbox', { name: 'Bundle name' }).fill('models-e2e');
  await expect(page.getByText('Free at destination')).toBeVisible();
  await page.getByRole('checkbox', { name: 'I have read the licences of the selected models' }).check();
  await shot(page, testInfo, '03-export-media');
  await page.getByRole('button', { name: 'Build bundle' }).click();

  // Reading the media back is its own test (custody.spec.ts); here the medium is recorded later.
  await expect(page.getByRole('heading', { level: 2, name: 'Verify media' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Skip (record later)' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });
  const digest = `sha256:${await sha256(path.join(bundleDir, 'SHA256SUMS'))}`;
  await expect(page.getByText(digest).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy bundle digest', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Copy checksum command' })).toBeVisible();
  const volumes = (await fs.readdir(bundleDir)).filter((f) => f.startsWith('models-e2e.tar.'));
  expect(volumes.length).toBeGreaterThanOrEqual(3);
  await expect(page.getByRole('table', { name: 'Volumes' }).getByRole('row')).toHaveCount(volumes.length + 1);
  await shot(page, testInfo, '04-export-done');
});

test('import on site B: untrusted signer shown with its fingerprint, trusted after comparing, then imported byte-exact', async ({ page }, testInfo) => {
  const fingerprintA = JSON.parse(ferryCli(siteA.home, ['keys', 'show', '--json'])).result.fingerprint as string;
  const target = path.join(work, 'pvc', 'models');
  await siteB.open(page);
  await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Bundle' })).toBeVisible();
  await chooseFolder(page, 'Bundle folder', bundleDir);

  await expect(page.getByRole('heading', { level: 2, name: 'Verify' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Signed by a key this site does not trust yet')).toBeVisible();
  await expect(page.getByText(fingerprintA).first()).toBeVisible();
  await expect(page.getByText('When they match, trust their key: paste or open the public key they sent you')).toBeVisible();
  await expect(page.getByText(/ferry keys/)).toHaveCount(0); // the wizard's own words, no command line
  await expect(page.getByRole('button', { name: 'Next' })).toHaveCount(0);
  await shot(page, testInfo, '05-import-untrusted');

  await page.getByRole('button', { name: 'Trust this key…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Trust a public key' });
  await dialog.getByRole('textbox', { name: 'Public key (PEM)' }).fill(await fs.readFile(path.join(siteA.home, 'keys', 'site.pub.pem'), 'utf8'));
  await expect(dialog.getByText("This key's fingerprint matches the bundle's signer.")).toBeVisible();
  await dialog.getByRole('checkbox', { name: 'I compared this fingerprint with the one the exporting site gave me' }).check();
  await dialog.getByRole('button', { name: 'Trust key' }).click();
  await expect(page.getByText(/^Signed by a trusted key/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Signed by a trusted key: ready to import')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Volumes checked' }).getByText('Checked during the import', { exact: true })).toHaveCount(
    (await fs.readdir(bundleDir)).filter((f) => f.includes('.tar.')).length,
  );
  await shot(page, testInfo, '06-import-verified');

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Targets' })).toBeVisible();
  await chooseFolder(page, 'Ollama store folder', target);
  await shot(page, testInfo, '07-import-target');
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });
  const imported = page.getByRole('table', { name: 'Imported artifacts' });
  const listedA = JSON.parse(ferryCli(siteA.home, ['ollama', 'ls', '--store', storeA, '--json'])).result.models as { id: string }[];
  for (const model of listedA) await expect(imported.getByText(model.id, { exact: true })).toBeVisible();
  await shot(page, testInfo, '08-import-done');

  const files = await filesUnder(storeA);
  expect(await filesUnder(target)).toEqual(files);
  for (const file of files) expect(await sha256(path.join(target, file)), file).toBe(await sha256(path.join(storeA, file)));

  const exported = JSON.parse(ferryCli(siteA.home, ['ledger', 'show', '--type', 'export.completed', '--json'])).result.entries;
  const digest = `sha256:${await sha256(path.join(bundleDir, 'SHA256SUMS'))}`;
  expect(exported.map((e: { event: { bundle: string } }) => e.event.bundle)).toContain(digest);
  const importTypes = JSON.parse(ferryCli(siteB.home, ['ledger', 'show', '--json'])).result.entries.map((e: { event: { type: string } }) => e.event.type);
  expect(importTypes).toEqual(expect.arrayContaining(['key.trusted', 'import.verified', 'import.started', 'import.completed']));

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Ledger' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ledger' })).toBeVisible();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText('The hash chain is intact')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Ledger entries' }).getByText('import.completed')).toBeVisible();
  await shot(page, testInfo, '09-ledger');
});

test('dark theme: the main screens stay legible', async ({ page }, testInfo) => {
  await siteA.open(page);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgb(255, 255, 255)');
  await shot(page, testInfo, '10-home-dark');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Export' }).click();
  await expect(page.getByRole('table', { name: 'Ollama models' })).toBeVisible();
  await shot(page, testInfo, '11-export-dark');
  await nav.getByRole('button', { name: 'Import' }).click();
  await shot(page, testInfo, '12-import-dark');
  await nav.getByRole('button', { name: 'Ledger' }).click();
  await expect(page.getByRole('table', { name: 'Ledger entries' })).toBeVisible();
  await shot(page, testInfo, '13-ledger-dark');
  await nav.getByRole('button', { name: 'Settings' }).click();
  await shot(page, testInfo, '14-settings-dark');
});

test('a tampered volume is found by the one read of the import, and nothing is committed', async ({ page }, testInfo) => {
  const tampered = path.join(work, 'usb', 'tampered');
  await fs.cp(bundleDir, tampered, { recursive: true });
  await flipByte(path.join(tampered, 'models-e2e.tar.002'), 4096);
  const store = path.join(work, 'pvc', 'models');
  const before = await filesUnder(store);

  await siteB.open(page);
  await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
  await chooseFolder(page, 'Bundle folder', tampered);
  // The signature and index are intact: only reading volume 002 shows the lie.
  await expect(page.getByText('Signed by a trusted key: ready to import')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await chooseFolder(page, 'Ollama store folder', store);
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.getByText('Refused: nothing was committed')).toBeVisible({ timeout: 60_000 });
  // The damaged volume first (it explains the rest); what else its bytes broke is listed below, not just counted.
  await expect(page.getByRole('alert').filter({ hasText: 'Refused: nothing was committed' })).toContainText(
    /Volume models-e2e\.tar\.002 does not match SHA256SUMS .* Copy it again from its disc\. The temporary files were removed\./,
  );
  const alsoFound = page.getByRole('region', { name: 'Also found' });
  await expect(alsoFound.getByRole('alert').first()).toBeVisible();
  await expect(page.getByText(/more problem/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Next' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Choose another folder' })).toBeVisible();
  await shot(page, testInfo, '15-import-tampered');
  expect(await filesUnder(store)).toEqual(before);
});

test('a store with a link planted in it is refused before anything is written, in words of the Targets step', async ({ page }, testInfo) => {
  const store = path.join(work, 'pvc-planted');
  const outside = path.join(work, 'planted-outside');
  await fs.mkdir(path.join(store, 'manifests'), { recursive: true });
  await fs.mkdir(outside);
  await fs.symlink(outside, path.join(store, 'manifests', 'registry.ollama.ai'));

  await siteB.open(page);
  await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
  await chooseFolder(page, 'Bundle folder', bundleDir);
  await expect(page.getByText(/^Signed by a trusted key/)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await chooseFolder(page, 'Ollama store folder', store);
  await page.getByRole('button', { name: 'Start import' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The import failed' });
  await expect(alert).toContainText('registry.ollama.ai is a symbolic link leading outside', { timeout: 60_000 });
  await expect(alert).toContainText('Nothing was written. Remove the link, or choose the store folder itself.');
  await expect(alert).not.toContainText('--');
  await shot(page, testInfo, '19-import-planted-link-refused');
  expect(await filesUnder(store)).toEqual([]);
  expect(await fs.readdir(outside)).toEqual([]);
});

test('a store with broken and cloud models lists every model; those cannot be picked, and say why', async ({ page }, testInfo) => {
  const mixed = path.join(work, 'store-mixed');
  const { models } = await makeOllamaStore(mixed, [
    { name: 'fine:1' },
    { name: 'empty:1' },
    { name: 'gone:1' },
    { name: 'gpt-oss:120b-cloud', cloud: { host: 'https://ollama.com:443', model: 'gpt-oss:120b' } },
  ]);
  await breakModel(mixed, models[1]!, 'empty-manifest');
  await breakModel(mixed, models[2]!, 'missing-blob');
  await siteA.open(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Export' }).click();
  await chooseFolder(page, 'Ollama store folder', mixed);
  const table = page.getByRole('table', { name: 'Ollama models' });
  await expect(table.getByRole('row')).toHaveCount(5);
  await expect(page.getByRole('checkbox', { name: 'Select fine:1' })).toBeEnabled();
  for (const name of ['empty:1', 'gone:1', 'gpt-oss:120b-cloud']) await expect(page.getByRole('checkbox', { name: `Select ${name}` })).toBeDisabled();
  await expect(table.getByRole('row').filter({ hasText: 'empty' })).toContainText('Its manifest is empty.');
  await expect(table.getByRole('row').filter({ hasText: 'gone' })).toContainText(`Blob ${models[2]!.blobs[1]} is missing.`);
  await expect(table.getByRole('row').filter({ hasText: 'gpt-oss' })).toContainText('A cloud model: it runs on https://ollama.com:443');
  await page.getByRole('checkbox', { name: 'Select all models' }).check();
  await expect(page.getByText(/1 of 1 models? selected/)).toBeVisible();
  await shot(page, testInfo, '28-export-broken-and-cloud-models');
});

test('an unreadable Ollama store shows what is wrong and what to do', async ({ page }, testInfo) => {
  // A folder whose manifests/ is a file: not a store Ferry (or Ollama) can read.
  const notStore = path.join(work, 'not-a-store');
  await fs.mkdir(notStore);
  await fs.writeFile(path.join(notStore, 'manifests'), 'not a folder');
  await siteA.open(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Export' }).click();
  await chooseFolder(page, 'Ollama store folder', notStore);
  const alert = page.getByRole('alert').filter({ hasText: 'Cannot read the Ollama store' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(notStore);
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await shot(page, testInfo, '16-export-unreadable-store');
});

test('a destination without room is refused before the build starts', async ({ page }, testInfo) => {
  const small = path.join(work, 'small-disk');
  await fs.mkdir(small);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', small], { stdio: 'pipe' });
  } catch (err) {
    test.skip(true, `A 2 MiB test file system cannot be mounted here (needs root): ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    await siteA.open(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Export' }).click();
    await chooseFolder(page, 'Ollama store folder', storeA);
    await page.getByRole('checkbox', { name: 'Select granite4.1:8b' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await chooseFolder(page, 'Destination folder', small);
    await page.getByRole('textbox', { name: 'Bundle name' }).fill('no-room');
    const alert = page.getByRole('alert').filter({ hasText: 'Not enough room' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(small);
    await expect(page.getByRole('button', { name: 'Build bundle' })).toBeDisabled();
    await shot(page, testInfo, '17-export-no-room');
    expect(await fs.readdir(small)).toEqual([]);
  } finally {
    execFileSync('umount', [small]);
  }
});

test('an export interrupted by a crash is offered for resuming after a restart, and completes', async ({ page }, testInfo) => {
  const store = path.join(work, 'store-big');
  await makeOllamaStore(store, [{ name: 'big:1', modelBytes: 1024 * 1024 * 1024 }]);
  const home = path.join(work, 'home-crash');
  const destination = path.join(work, 'usb-crash');
  await fs.mkdir(destination);
  let host = await startFerryHost({ home, env: { OLLAMA_MODELS: store } });
  try {
    await host.open(page);
    await page.getByRole('button', { name: 'Export (connected side)' }).click();
    await page.getByRole('checkbox', { name: 'Select big:1' }).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('combobox', { name: 'Media' }).click();
    await page.getByRole('option', { name: 'Custom size' }).click();
    await page.getByRole('textbox', { name: 'Volume size' }).fill('256MiB');
    await chooseFolder(page, 'Destination folder', destination);
    await page.getByRole('textbox', { name: 'Bundle name' }).fill('crashed');
    await expect(page.getByText('Free at destination')).toBeVisible();
    await page.getByRole('button', { name: 'Build bundle' }).click();
    const progress = page.getByRole('progressbar', { name: 'Export progress' });
    await expect(progress).toHaveAttribute('aria-valuenow', /^[1-9]/, { timeout: 30_000 });
    await host.crash();
    expect(await fs.readdir(path.join(destination, 'crashed'))).not.toContain('SHA256SUMS.sig');

    host = await startFerryHost({ home, env: { OLLAMA_MODELS: store } });
    await host.open(page);
    const attention = page.getByRole('list', { name: 'Unfinished jobs' });
    await expect(attention).toContainText('crashed');
    await shot(page, testInfo, '18-home-resume');
    await attention.getByRole('button', { name: /^Resume / }).click();
    await expect.poll(async () => (await fs.readdir(path.join(destination, 'crashed'))).includes('SHA256SUMS.sig'), { timeout: 90_000 }).toBe(true);
    const sums = await fs.readFile(path.join(destination, 'crashed', 'SHA256SUMS'), 'utf8');
    expect(sums.split('\n').filter(Boolean).length).toBe(1 + 5); // BUNDLE.json and five 256 MiB volumes
    const verified = ferryCli(home, ['verify', path.join(destination, 'crashed'), '--trust', path.join(home, 'keys', 'site.pub.pem')]);
    expect(verified).toContain('Verified');
  } finally {
    await host.stop();
  }
});

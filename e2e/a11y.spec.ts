import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { flipByte } from '../dist/main/testing/cli.js';
import { makeHfCache } from '../dist/main/testing/hf-fixture.js';
import { makeOllamaStore } from '../dist/main/testing/ollama-fixture.js';
import { expectAccessible } from './support/a11y.js';
import { repo, startFerryHost, tempDir, type RunningHost } from './support/host.js';
import { chooseFolder, shot } from './support/page.js';

/**
 * Accessibility: axe (WCAG 2.1 A and AA) on every screen and state a user sees, in both themes,
 * through the browser host. A serious or critical violation fails the test and names the rule,
 * what to fix and the elements. Site A exports (a bundle made with the CLI beforehand, so the
 * ledger has something to show; the wizard's own export too); site B imports it.
 */
test.describe.configure({ mode: 'serial' });

let work: string;
let storeA: string;
let storeBig: string;
let carry: string;
let bundleDir: string;
let digest: string;
let siteA: RunningHost;
let siteB: RunningHost;
/** A registry that answers the API and has nothing: a reference fails to resolve at once. */
let emptyRegistry: http.Server;
let emptyRegistryHost: string;

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

function ferryCli(home: string, args: string[], input?: string): string {
  return execFileSync(process.execPath, [path.join(repo, 'bin', 'ferry.js'), ...args], {
    env: { ...process.env, FERRY_HOME: home, FERRY_OPERATOR: 'Alice' },
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  });
}

const passphrase = (name: string) => `${name.toLowerCase()} passphrase`;

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/** Goes to a hash route in the app already loaded (the token was swapped for a cookie on the first load). */
async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
}

test.beforeAll(async () => {
  work = await tempDir('a11y');
  storeA = path.join(work, 'store-a');
  await makeOllamaStore(storeA, [
    { name: 'granite4.1:8b', modelBytes: 2 * 1024 * 1024 + 333, license: 'Apache-2.0', quantization: 'Q4_K_M' },
    { name: 'acme/tiny:1', sharedWith: 'granite4.1:8b' },
  ]);
  storeBig = path.join(work, 'store-big');
  await makeOllamaStore(storeBig, [{ name: 'big:1', modelBytes: 4096 * 1024 * 1024, sparse: true }]);
  const hf = await makeHfCache(path.join(work, 'hf', 'hub'));
  carry = path.join(work, 'to-carry');
  await fs.mkdir(path.join(carry, 'runbook'), { recursive: true });
  await fs.writeFile(path.join(carry, 'runbook', 'README.md'), '# Runbook\n');
  await fs.writeFile(path.join(carry, 'values.yaml'), 'replicas: 2\n');
  await fs.writeFile(path.join(carry, 'notes.txt'), 'seal intact\n');
  for (const dir of ['usb', 'staging', 'restored', 'kit', 'pvc/models']) await fs.mkdir(path.join(work, dir), { recursive: true });

  // A bundle made with the CLI, its medium read back and handed to a courier: the ledger and the import have something to show.
  const homeA = path.join(work, 'home-a');
  bundleDir = path.join(work, 'usb', 'a11y-cli');
  ferryCli(homeA, [
    'export',
    '--out',
    bundleDir,
    '--ollama',
    'granite4.1:8b',
    '--ollama-store',
    storeA,
    '--file',
    path.join(carry, 'values.yaml'),
    '--volume-size',
    '1MiB',
  ]);
  digest = `sha256:${await sha256(path.join(bundleDir, 'SHA256SUMS'))}`;
  ferryCli(homeA, ['media', 'verify', bundleDir, '--media-id', 'USB-0042', '--label', 'A11y USB', '--type', 'usb', '--seal', 'S-1001']);
  ferryCli(homeA, [
    'media',
    'handoff',
    digest,
    '--from',
    'Alice',
    '--to',
    'Carol',
    '--to-role',
    'courier',
    '--place',
    'Loading dock',
    '--seal-intact',
    'yes',
    '--seal',
    'S-1001',
    '--media-id',
    'USB-0042',
  ]);

  emptyRegistry = http.createServer((req, res) => {
    if (req.url === '/v2/') {
      res.writeHead(200, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' });
      res.end('{}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
  });
  await new Promise<void>((resolve) => emptyRegistry.listen(0, '127.0.0.1', resolve));
  emptyRegistryHost = `127.0.0.1:${(emptyRegistry.address() as AddressInfo).port}`;

  siteA = await startFerryHost({ home: homeA, env: { OLLAMA_MODELS: storeA, HF_HUB_CACHE: hf.cache } });
  siteB = await startFerryHost({
    home: path.join(work, 'home-b'),
    env: { OLLAMA_MODELS: path.join(work, 'pvc', 'models'), HF_HUB_CACHE: path.join(work, 'pvc', 'hf') },
  });
});

test.afterAll(async () => {
  await siteA?.stop();
  await siteB?.stop();
  emptyRegistry?.close();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

test('Home and Settings, and the trust dialog', async ({ page }, testInfo) => {
  await siteA.open(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Recent ledger events' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Home');

  await nav(page).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Site key' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Operator name' }).fill('Alice');
  await page.getByRole('textbox', { name: 'Role', exact: true }).fill('field engineer');
  await page.getByRole('button', { name: 'Save operator' }).click();
  await expect(page.getByText('Saved. New ledger events name Alice')).toBeVisible();
  await expectAccessible(page, testInfo, 'Settings');

  await page.getByRole('button', { name: 'Trust a key…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Trust a public key' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, testInfo, 'Settings › Trust a key dialog');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
});

test('Export: every What to carry tab', async ({ page }, testInfo) => {
  await siteA.open(page);
  await page.getByRole('button', { name: 'Export (connected side)' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'What to carry' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select granite4.1:8b' }).check();
  await expectAccessible(page, testInfo, 'Export › What to carry › Ollama models');

  await page.getByRole('tab', { name: 'Hugging Face' }).click();
  const hfTable = page.getByRole('table', { name: 'Hugging Face repositories' });
  await expect(hfTable.locator('tr[data-spec]').first()).toBeVisible();
  await hfTable.getByRole('checkbox', { name: 'Select acme/tiny-embed@main' }).check();
  await expectAccessible(page, testInfo, 'Export › What to carry › Hugging Face');
  await shot(page, testInfo, '60-a11y-export-hugging-face', hfTable);

  await page.getByRole('tab', { name: 'Images & charts' }).click();
  await expectAccessible(page, testInfo, 'Export › What to carry › Images & charts (empty)');
  // The registry has no such image: the reference does not resolve, which shows the alert in its row.
  const images = page.getByRole('textbox', { name: 'Image references' });
  await images.fill(`${emptyRegistryHost}/acme/app:1.0`);
  await page.getByRole('checkbox', { name: 'Plain HTTP' }).check();
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByRole('alert').filter({ hasText: `Cannot resolve ${emptyRegistryHost}/acme/app:1.0` })).toBeVisible();
  await expectAccessible(page, testInfo, 'Export › What to carry › Images & charts (did not resolve)');
});

test('Export: the Files tab, the file and folder browsers, Media', async ({ page }, testInfo) => {
  await siteA.open(page);
  await nav(page).getByRole('button', { name: 'Export' }).click();
  await page.getByRole('checkbox', { name: 'Select granite4.1:8b' }).check();
  await page.getByRole('tab', { name: 'Files' }).click();
  await expectAccessible(page, testInfo, 'Export › What to carry › Files (empty)');
  await page.getByRole('button', { name: 'Add files…' }).click();
  const fileDialog = page.getByRole('dialog', { name: 'Choose files to carry' });
  await fileDialog.getByRole('textbox', { name: 'Folder path' }).fill(carry);
  await fileDialog.getByRole('button', { name: 'Go' }).click();
  await fileDialog.getByRole('checkbox', { name: 'notes.txt' }).check();
  await expectAccessible(page, testInfo, 'Export › file browser dialog');
  await fileDialog.getByRole('button', { name: 'Add selected files' }).click();
  await page.getByRole('button', { name: 'Add a folder…' }).click();
  const folderDialog = page.getByRole('dialog', { name: 'Choose a folder to carry' });
  await folderDialog.getByRole('textbox', { name: 'Folder path' }).fill(path.join(carry, 'runbook'));
  await folderDialog.getByRole('button', { name: 'Go' }).click();
  await expect(folderDialog.getByText('No folders here.')).toBeVisible();
  await folderDialog.getByRole('button', { name: 'Choose this folder' }).click();
  await expect(page.getByRole('table', { name: 'Files to carry' }).getByRole('row')).toHaveCount(3);
  await expectAccessible(page, testInfo, 'Export › What to carry › Files');
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Media' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Export › Media (no destination)');
  await page.getByRole('combobox', { name: 'Media' }).click();
  await expectAccessible(page, testInfo, 'Export › Media › media list open');
  await page.getByRole('option', { name: 'Custom size' }).click();
  await page.getByRole('textbox', { name: 'Volume size' }).fill('1MiB');

  await page.getByRole('button', { name: 'Browse for Destination folder' }).click();
  const picker = page.getByRole('dialog', { name: 'Choose where to write the bundle' });
  await picker.getByRole('textbox', { name: 'Folder path' }).fill(work);
  await picker.getByRole('button', { name: 'Go' }).click();
  await expect(picker.getByRole('button', { name: 'usb', exact: true })).toBeVisible();
  await expectAccessible(page, testInfo, 'Folder browser dialog');
  await picker.getByRole('button', { name: 'New folder' }).click();
  await expect(picker.getByRole('textbox', { name: 'New folder name' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Folder browser dialog › New folder');
  await picker.getByRole('button', { name: 'Never mind' }).click();
  await picker.getByRole('button', { name: 'usb', exact: true }).click();
  await expect(picker.getByRole('textbox', { name: 'Folder path' })).toHaveValue(path.join(work, 'usb'));
  await shot(page, testInfo, '61-a11y-folder-browser');
  await picker.getByRole('button', { name: 'Choose this folder' }).click();
  await page.getByRole('textbox', { name: 'Bundle name' }).fill('a11y-ui');
  await expect(page.getByText('Free at destination')).toBeVisible();
  await page.getByRole('checkbox', { name: 'I have read the licences of the selected models' }).check();
  await expectAccessible(page, testInfo, 'Export › Media (ready)');
});

test('Export: Build (running, then stopped), and Home with a job in progress', async ({ page }, testInfo) => {
  await siteA.open(page);
  await nav(page).getByRole('button', { name: 'Export' }).click();
  // A big (sparse) model, so the build runs long enough to look at; then it is cancelled.
  await chooseFolder(page, 'Ollama store folder', storeBig);
  await page.getByRole('checkbox', { name: 'Select big:1' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('combobox', { name: 'Media' }).click();
  await page.getByRole('option', { name: 'Custom size' }).click();
  await page.getByRole('textbox', { name: 'Volume size' }).fill('256MiB');
  await chooseFolder(page, 'Destination folder', path.join(work, 'usb'));
  await page.getByRole('textbox', { name: 'Bundle name' }).fill('a11y-big');
  await expect(page.getByText('Free at destination')).toBeVisible();
  await page.getByRole('button', { name: 'Build bundle' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Build' })).toBeVisible();
  await nav(page).getByRole('button', { name: 'Home' }).click();
  await expect(page.getByRole('region', { name: 'In progress' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Home (a job in progress)');
  await nav(page).getByRole('button', { name: 'Export' }).click();
  await expect(page.getByRole('progressbar', { name: 'Export progress' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Export › Build (running)');
  // On a very fast machine the build may have finished meanwhile (the wizard is then on Verify media).
  await page
    .getByRole('button', { name: 'Cancel export' })
    .click({ timeout: 2_000 })
    .catch(() => undefined);
  const back = page.getByRole('button', { name: 'Back' });
  await expect(back.or(page.getByRole('heading', { level: 2, name: 'Verify media' }))).toBeVisible({ timeout: 15_000 });
  // Cancelled (or failed): the step shows an alert and Back.
  if (await back.isVisible()) await expectAccessible(page, testInfo, 'Export › Build (stopped)');
});

test('Export: Verify media, Done', async ({ page }, testInfo) => {
  await siteA.open(page);
  await nav(page).getByRole('button', { name: 'Export' }).click();
  await page.getByRole('checkbox', { name: 'Select acme/tiny:1' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('combobox', { name: 'Media' }).click();
  await page.getByRole('option', { name: 'Custom size' }).click();
  await page.getByRole('textbox', { name: 'Volume size' }).fill('1MiB');
  await chooseFolder(page, 'Destination folder', path.join(work, 'usb'));
  await page.getByRole('textbox', { name: 'Bundle name' }).fill('a11y-small');
  await expect(page.getByText('Free at destination')).toBeVisible();
  await page.getByRole('button', { name: 'Build bundle' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Verify media' })).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, testInfo, 'Export › Verify media (form)');
  await page.getByRole('textbox', { name: 'Media ID or serial' }).fill('USB-0100');
  await page.getByRole('textbox', { name: 'Label' }).fill('Small USB');
  await page.getByRole('combobox', { name: 'Media type' }).click();
  await page.getByRole('option', { name: 'USB stick' }).click();
  await page.getByRole('button', { name: 'Read back and verify' }).click();
  await expect(page.getByText('Small USB is good')).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, testInfo, 'Export › Verify media (read back)');
  await shot(page, testInfo, '62-a11y-verify-media', page.getByRole('table', { name: 'Volumes read back' }));
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Export › Done');
});

test('Export with the two-person rule: Approval, and the review on Home', async ({ page }, testInfo) => {
  await siteA.open(page);
  for (const [name, role] of [
    ['Alice', 'operator'],
    ['Bob', 'security officer'],
  ] as const)
    ferryCli(siteA.home, ['people', 'add', name, '--role', role, '--passphrase-stdin'], `${passphrase(name)}\n`);
  await nav(page).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('list', { name: 'Enrolled people' }).getByRole('listitem')).toHaveCount(2);
  await page.getByRole('button', { name: 'Turn on…' }).click();
  const ruleOn = page.getByRole('dialog', { name: 'Turn the two-person rule on' });
  await ruleOn.getByRole('combobox', { name: 'Decided by' }).click();
  await page.getByRole('option', { name: 'Alice (operator)' }).click();
  await ruleOn.getByLabel('Passphrase of Alice').fill(passphrase('Alice'));
  await expectAccessible(page, testInfo, 'Settings › Turn the two-person rule on');
  await ruleOn.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('status', { name: 'Two-person rule' })).toHaveText('The two-person rule is on');
  await expectAccessible(page, testInfo, 'Settings (people enrolled, two-person rule turned on)');

  await nav(page).getByRole('button', { name: 'Export' }).click();
  await page.getByRole('checkbox', { name: 'Select acme/tiny:1' }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('combobox', { name: 'Media' }).click();
  await page.getByRole('option', { name: 'Custom size' }).click();
  await page.getByRole('textbox', { name: 'Volume size' }).fill('1MiB');
  await chooseFolder(page, 'Destination folder', path.join(work, 'usb'));
  await page.getByRole('textbox', { name: 'Bundle name' }).fill('a11y-approved');
  await expect(page.getByText('Free at destination')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Approval' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Export › Approval (not requested)');
  await page.getByRole('button', { name: 'Request approval' }).click();
  await expect(page.getByRole('table', { name: 'Artifacts to approve' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('Anyone enrolled except Alice, who asked.')).toBeVisible();
  await expectAccessible(page, testInfo, 'Export › Approval (requested)');

  await nav(page).getByRole('button', { name: 'Home' }).click();
  await expect(page.getByRole('list', { name: 'Approvals waiting' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Home (approvals waiting, media not dispositioned)');
  await page.getByRole('button', { name: 'Review approval of a11y-approved' }).click();
  const review = page.getByRole('dialog', { name: 'Review approval: export a11y-approved' });
  await expect(review.getByRole('table', { name: 'Artifacts to approve' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Home › Review approval dialog');
  await review.getByRole('combobox', { name: 'Approver' }).click();
  await page.getByRole('option', { name: 'Bob (security officer)' }).click();
  await review.getByLabel('Passphrase of Bob').fill(passphrase('Bob'));
  await review.getByRole('button', { name: 'Approve' }).click();
  await expect(review.getByText(/Approved by Bob at/)).toBeVisible();
  await expectAccessible(page, testInfo, 'Home › Review approval dialog (approved)');
  await review.getByRole('button', { name: 'Close' }).click();

  await nav(page).getByRole('button', { name: 'Export' }).click();
  await expect(page.getByText(/Approved by Bob at/)).toBeVisible({ timeout: 15_000 });
  await expectAccessible(page, testInfo, 'Export › Approval (approved)');
  await shot(page, testInfo, '63-a11y-approval');
  ferryCli(siteA.home, ['approval', 'rule', 'off', '--as', 'Alice', '--passphrase-stdin'], `${passphrase('Alice')}\n`);
  ferryCli(siteA.home, ['approval', 'rule', 'off', '--as', 'Bob', '--passphrase-stdin'], `${passphrase('Bob')}\n`);
});

test('Import: bundle folder, disc by disc, untrusted signer, trust, targets, done', async ({ page }, testInfo) => {
  await siteB.open(page);
  await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Bundle' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Import › Bundle (a folder)');

  await page.getByRole('radio', { name: 'Disc by disc' }).check();
  await expectAccessible(page, testInfo, 'Import › Bundle (disc by disc)');
  await chooseFolder(page, 'Disc folder', bundleDir, 'Tab');
  await chooseFolder(page, 'Staging folder', path.join(work, 'staging'), 'Tab');
  await page.getByRole('button', { name: 'Copy this disc' }).click();
  const refusedDisc = page.getByRole('alert').filter({ hasText: 'This disc was refused' });
  await expect(refusedDisc).toBeVisible({ timeout: 15_000 });
  await expect(refusedDisc).toContainText('Its signature is valid, but it was made with a key this site has not pinned.');
  await expect(refusedDisc).not.toContainText('ferry keys'); // the wizard's own words, no command line
  await expectAccessible(page, testInfo, 'Import › Bundle (disc refused: untrusted signer)');

  await page.getByRole('radio', { name: 'A folder' }).check();
  await chooseFolder(page, 'Bundle folder', bundleDir);
  await expect(page.getByRole('heading', { level: 2, name: 'Verify' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Signed by a key this site does not trust yet')).toBeVisible();
  await expectAccessible(page, testInfo, 'Import › Verify (untrusted signer)');
  await shot(page, testInfo, '64-a11y-import-untrusted');

  await page.getByRole('button', { name: 'Trust this key…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Trust a public key' });
  await dialog.getByRole('textbox', { name: 'Public key (PEM)' }).fill(await fs.readFile(path.join(siteA.home, 'keys', 'site.pub.pem'), 'utf8'));
  await expect(dialog.getByText("This key's fingerprint matches the bundle's signer.")).toBeVisible();
  await expectAccessible(page, testInfo, 'Import › Trust a public key dialog');
  await dialog.getByRole('checkbox', { name: 'I compared this fingerprint with the one the exporting site gave me' }).check();
  await dialog.getByRole('button', { name: 'Trust key' }).click();
  await expect(page.getByText(/^Signed by a trusted key/)).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, testInfo, 'Import › Verify (trusted)');

  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Targets' })).toBeVisible();
  await chooseFolder(page, 'Folder for files', path.join(work, 'restored'), 'Tab');
  await page.getByRole('checkbox', { name: 'Push to a registry' }).check();
  await page.getByRole('textbox', { name: 'Registry and prefix' }).fill('not a registry');
  await expectAccessible(page, testInfo, 'Import › Targets (with a registry)');
  await page.getByRole('checkbox', { name: 'Push to a registry' }).uncheck();
  await expectAccessible(page, testInfo, 'Import › Targets');
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, testInfo, 'Import › Done');
});

test('Ledger: every tab, the review dialog, the kit', async ({ page }, testInfo) => {
  await siteA.open(page);
  await nav(page).getByRole('button', { name: 'Ledger' }).click();
  await expect(page.getByRole('table', { name: 'Ledger entries' })).toBeVisible();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByText('The hash chain is intact')).toBeVisible();
  await expectAccessible(page, testInfo, 'Ledger › Timeline');

  await page.getByRole('tab', { name: 'Bundles' }).click();
  await expect(page.getByRole('table', { name: 'Bundles' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Ledger › Bundles');

  await page.getByRole('tab', { name: /^Flags/ }).click();
  await expect(
    page.getByRole('table', { name: 'Reconciliation flags' }).or(page.getByRole('status').filter({ hasText: 'No reconciliation flags' })),
  ).toBeVisible();
  await expectAccessible(page, testInfo, 'Ledger › Flags');

  await page.getByRole('tab', { name: "Auditor's kit" }).click();
  await expectAccessible(page, testInfo, "Ledger › Auditor's kit");
  await chooseFolder(page, 'Kit destination folder', path.join(work, 'kit'), 'Tab');
  await page.getByRole('button', { name: "Export auditor's kit" }).click();
  await expect(page.getByText("The auditor's kit is written")).toBeVisible({ timeout: 15_000 });
  await expectAccessible(page, testInfo, "Ledger › Auditor's kit (written)");

  await page.getByRole('button', { name: 'Record review sign-off…' }).click();
  const review = page.getByRole('dialog', { name: 'Record a review sign-off' });
  await expect(review).toBeVisible();
  await expectAccessible(page, testInfo, 'Ledger › Review sign-off dialog');
  await review.getByRole('radio', { name: 'No findings' }).check();
  await review.getByRole('combobox', { name: 'Reviewer' }).click();
  await page.getByRole('option', { name: 'Bob (security officer)' }).click();
  await review.getByLabel('Passphrase of Bob').fill(passphrase('Bob'));
  await review.getByRole('button', { name: 'Record sign-off' }).click();
  await expect(review.getByText(/Recorded as ledger line \d+/)).toBeVisible();
  await expectAccessible(page, testInfo, 'Ledger › Review sign-off dialog (recorded)');
  await review.getByRole('button', { name: 'Close' }).click();
});

test('Chain of custody, the disposition dialog, the transfer form, Handoff', async ({ page }, testInfo) => {
  await siteA.open(page);
  await go(page, `#/ledger/bundle/${digest}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Chain of custody: a11y-cli' })).toBeVisible();
  await page.getByRole('button', { name: 'Show all details' }).click();
  await expectAccessible(page, testInfo, 'Chain of custody (all details)');
  await shot(page, testInfo, '65-a11y-chain-of-custody');

  await page.getByRole('button', { name: 'Record disposition…' }).click();
  const dispose = page.getByRole('dialog', { name: 'Record a disposition' });
  await expect(dispose).toBeVisible();
  await expectAccessible(page, testInfo, 'Chain of custody › Record a disposition dialog');
  await dispose.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Print transfer form' }).click();
  await expect(page.getByRole('article', { name: 'Ferry transfer form' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Transfer form');

  await go(page, `#/handoff?bundle=${digest}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Handoff' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Earlier handoffs of this bundle' })).toBeVisible();
  await page.getByRole('radiogroup', { name: 'Seal intact' }).getByRole('radio', { name: 'No' }).check();
  await expect(page.getByText('A broken seal is flagged')).toBeVisible();
  await expectAccessible(page, testInfo, 'Handoff');
});

test('The import side: chain of custody and the import receipt', async ({ page }, testInfo) => {
  await siteB.open(page);
  await go(page, `#/ledger/bundle/${digest}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Chain of custody: a11y-cli' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Chain of custody (import side)');
  await page.getByRole('button', { name: 'Print receipt' }).click();
  await expect(page.getByRole('article', { name: 'Ferry import receipt' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Import receipt');
  await nav(page).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('list', { name: 'Trusted keys' })).toBeVisible();
  await expectAccessible(page, testInfo, 'Settings (a trusted key)');
});

test('Import: a damaged bundle is refused, discs staged, in both themes', async ({ page }, testInfo) => {
  const damaged = path.join(work, 'usb', 'damaged');
  await fs.cp(bundleDir, damaged, { recursive: true });
  await flipByte(path.join(damaged, 'a11y-cli.tar.002'), 4096);
  await siteB.open(page);
  await nav(page).getByRole('button', { name: 'Import' }).click();
  await chooseFolder(page, 'Bundle folder', damaged);
  await expect(page.getByText('Signed by a trusted key: ready to import')).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, testInfo, 'Import › Verify (quick checks passed)');
  await page.getByRole('button', { name: 'Read the media back' }).click();
  await expect(page.getByText('Refused: nothing was written')).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, testInfo, 'Import › Verify (refused: damaged volume)');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expectAccessible(page, testInfo, 'dark › Import › Verify (refused: damaged volume)');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();

  // Site B trusts the signer now: the whole bundle "on one disc" is staged at once.
  await page.getByRole('button', { name: 'Choose another folder' }).click();
  await page.getByRole('radio', { name: 'Disc by disc' }).check();
  await chooseFolder(page, 'Disc folder', bundleDir, 'Tab');
  await chooseFolder(page, 'Staging folder', path.join(work, 'staging'), 'Tab');
  await page.getByRole('button', { name: 'Copy this disc' }).click();
  await expect(page.getByRole('status').filter({ hasText: /All \d+ volumes are staged/ })).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, testInfo, 'Import › Bundle (every disc staged)');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expectAccessible(page, testInfo, 'dark › Import › Bundle (every disc staged)');
});

test('the connection banner, in both themes', async ({ page }, testInfo) => {
  const host = await startFerryHost({ home: path.join(work, 'home-c') });
  try {
    await host.open(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    await host.crash();
    await expect(page.getByRole('alert').filter({ hasText: 'Lost connection to the Ferry host' })).toBeVisible({ timeout: 15_000 });
    await expectAccessible(page, testInfo, 'Home (connection lost)');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expectAccessible(page, testInfo, 'dark › Home (connection lost)');
  } finally {
    await host.stop();
  }
});

test('dark theme: the main screens', async ({ page }, testInfo) => {
  await siteB.open(page);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Home');

  await nav(page).getByRole('button', { name: 'Import' }).click();
  await chooseFolder(page, 'Bundle folder', bundleDir);
  await expect(page.getByText(/^Signed by a trusted key/)).toBeVisible({ timeout: 30_000 });
  await expectAccessible(page, testInfo, 'dark › Import › Verify');
  await shot(page, testInfo, '66-a11y-dark-import-verify');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Targets' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Import › Targets');

  await nav(page).getByRole('button', { name: 'Ledger' }).click();
  await expect(page.getByRole('table', { name: 'Ledger entries' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Ledger › Timeline');
  await page.getByRole('tab', { name: 'Bundles' }).click();
  await expect(page.getByRole('table', { name: 'Bundles' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Ledger › Bundles');
  await page.getByRole('table', { name: 'Bundles' }).getByRole('link', { name: 'a11y-cli' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chain of custody: a11y-cli' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Chain of custody');
  await page.getByRole('button', { name: 'Print receipt' }).click();
  await expect(page.getByRole('article', { name: 'Ferry import receipt' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Import receipt');

  await nav(page).getByRole('button', { name: 'Settings' }).click();
  await expectAccessible(page, testInfo, 'dark › Settings');
  await page.getByRole('button', { name: 'Trust a key…' }).click();
  await expect(page.getByRole('dialog', { name: 'Trust a public key' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Trust a key dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await nav(page).getByRole('button', { name: 'Handoff' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Handoff' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Handoff');
});

test('dark theme: the export wizard', async ({ page }, testInfo) => {
  await siteA.open(page);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.getByRole('list', { name: 'Recent ledger events' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Home (export side)');
  await nav(page).getByRole('button', { name: 'Export' }).click();
  await page.getByRole('checkbox', { name: 'Select granite4.1:8b' }).check();
  await expectAccessible(page, testInfo, 'dark › Export › What to carry');
  await shot(page, testInfo, '67-a11y-dark-export');
  await page.getByRole('tab', { name: 'Hugging Face' }).click();
  await expect(page.getByRole('table', { name: 'Hugging Face repositories' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Export › Hugging Face');
  await page.getByRole('tab', { name: 'Images & charts' }).click();
  await expectAccessible(page, testInfo, 'dark › Export › Images & charts');
  await page.getByRole('tab', { name: 'Files' }).click();
  await expectAccessible(page, testInfo, 'dark › Export › Files');
  await page.getByRole('button', { name: 'Next' }).click();
  await chooseFolder(page, 'Destination folder', path.join(work, 'usb'));
  await expect(page.getByText('Free at destination')).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Export › Media');
  await page.getByRole('button', { name: 'Browse for Destination folder' }).click();
  await expect(page.getByRole('dialog', { name: 'Choose where to write the bundle' }).getByRole('list')).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Folder browser dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
});

test("dark theme: the export side's ledger, chain of custody and transfer form", async ({ page }, testInfo) => {
  await siteA.open(page);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await go(page, `#/ledger/bundle/${digest}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Chain of custody: a11y-cli' })).toBeVisible();
  await page.getByRole('button', { name: 'Show all details' }).click();
  await expectAccessible(page, testInfo, 'dark › Chain of custody (export side)');
  await page.getByRole('button', { name: 'Print transfer form' }).click();
  await expect(page.getByRole('article', { name: 'Ferry transfer form' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Transfer form');
  await nav(page).getByRole('button', { name: 'Ledger' }).click();
  await page.getByRole('tab', { name: /^Flags/ }).click();
  await expect(page.getByRole('table', { name: 'Reconciliation flags' })).toBeVisible();
  await expectAccessible(page, testInfo, 'dark › Ledger › Flags');
  await page.getByRole('tab', { name: "Auditor's kit" }).click();
  await expectAccessible(page, testInfo, "dark › Ledger › Auditor's kit");
});

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { repo, startFerryHost, tempDir, type RunningHost } from './support/host.js';
import { expectAccessible } from './support/a11y.js';
import { chooseFolder, shot } from './support/page.js';
import { SCREENSHOTS } from './support/host.js';

/**
 * The chain of custody end to end, through the browser host as people use it: on site A the
 * officer enrols two people with their own passphrases, one turns on the two-person rule, the
 * operator exports two files, the security officer approves them with their passphrase (signed), the USB stick is read back and recorded with its seal, and handed to a courier. Site B
 * imports the bundle. Both sites' chain-of-custody pages show every step, and the transfer form
 * and the import receipt print to PDF.
 */
test.describe.configure({ mode: 'serial' });

let work: string;
let files: string;
let bundleDir: string;
let siteA: RunningHost;
let siteB: RunningHost;
let digest: string;

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

function ferryCli(home: string, args: string[], input?: string): string {
  return execFileSync(process.execPath, [path.join(repo, 'bin', 'ferry.js'), ...args], {
    env: { ...process.env, FERRY_HOME: home },
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  });
}

/** `ferry ARGS --as NAME --passphrase-stdin`, NAME typing their passphrase. */
const ferryAs = (home: string, name: string, args: string[]) =>
  ferryCli(home, [...args, '--as', name, '--passphrase-stdin'], `${name.toLowerCase()} passphrase\n`);

/** Prints the page as the browser's "Save as PDF" does and checks the file is a real, non-empty PDF. */
async function printToPdf(page: Page, name: string): Promise<Buffer> {
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  await page.emulateMedia({ media: 'screen' });
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  await fs.writeFile(path.join(SCREENSHOTS, `${name}.pdf`), pdf);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(10_000);
  return pdf;
}

/** The running footer every printed page carries: which bundle, and "Page N of M" (the page's @page margin boxes). */
async function pageFooterRule(page: Page): Promise<string> {
  return page.evaluate(() =>
    [...document.styleSheets]
      .flatMap((sheet) => [...sheet.cssRules])
      .filter((rule) => rule instanceof CSSPageRule && rule.cssText.includes('counter(pages)'))
      .map((rule) => rule.cssText)
      .join('\n'),
  );
}

test.beforeAll(async () => {
  work = await tempDir('custody');
  files = path.join(work, 'to-carry');
  await fs.mkdir(files);
  await fs.writeFile(path.join(files, 'runbook.md'), '# Install runbook\n');
  await fs.writeFile(path.join(files, 'weights.bin'), Buffer.alloc(2 * 1024 * 1024 + 4321, 3));
  await fs.mkdir(path.join(work, 'usb'));
  await fs.mkdir(path.join(work, 'restored'));
  await fs.mkdir(path.join(work, 'restored-c'));
  bundleDir = path.join(work, 'usb', 'custody-e2e');
  siteA = await startFerryHost({ home: path.join(work, 'home-a') });
  siteB = await startFerryHost({ home: path.join(work, 'home-b') });
});

test.afterAll(async () => {
  await siteA?.stop();
  await siteB?.stop();
  await fs.rm(work, { recursive: true, force: true });
});

test('site A: two-person rule, export approved by a second name, media read back, handoff to the courier', async ({ page }, testInfo) => {
  await siteA.open(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('textbox', { name: 'Operator name' }).fill('Alice');
  await page.getByRole('textbox', { name: 'Role', exact: true }).fill('field engineer');
  await page.getByRole('button', { name: 'Save operator' }).click();
  await expect(page.getByText('Saved. New ledger events name Alice')).toBeVisible();
  for (const person of [
    { name: 'Alice', role: 'field engineer' },
    { name: 'Bob', role: 'security officer' },
  ]) {
    await page.getByRole('button', { name: 'Enrol a person…' }).click();
    const enrol = page.getByRole('dialog', { name: 'Enrol a person' });
    await enrol.getByRole('textbox', { name: 'Name' }).fill(person.name);
    await enrol.getByRole('textbox', { name: 'Role' }).fill(person.role);
    await enrol.getByLabel(/^Passphrase\s*\*?$/).fill(`${person.name.toLowerCase()} passphrase`);
    await enrol.getByLabel('Passphrase again').fill(`${person.name.toLowerCase()} passphrase`);
    if (person.name === 'Bob') await shot(page, testInfo, '39-settings-enrol-person', enrol);
    await enrol.getByRole('button', { name: 'Enrol' }).click();
    await expect(page.getByText(`${person.name} is enrolled.`)).toBeVisible({ timeout: 15_000 });
  }
  const people = page.getByRole('list', { name: 'Enrolled people' });
  await expect(people.getByRole('listitem')).toHaveCount(2);
  await shot(page, testInfo, '39b-settings-people', people);
  await page.getByRole('button', { name: 'Turn on…' }).click();
  const ruleOn = page.getByRole('dialog', { name: 'Turn the two-person rule on' });
  await ruleOn.getByRole('combobox', { name: 'Decided by' }).click();
  await page.getByRole('option', { name: 'Alice (field engineer)' }).click();
  await ruleOn.getByLabel('Passphrase of Alice').fill('alice passphrase');
  await ruleOn.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByRole('status', { name: 'Two-person rule' })).toHaveText('The two-person rule is on');
  await shot(page, testInfo, '40-settings-two-person-rule', page.getByRole('region', { name: 'Two-person rule' }));
  const dueDays = page.getByRole('textbox', { name: 'Days until a disposition is due' });
  await expect(dueDays).toHaveValue('14');
  await dueDays.fill('0');
  await expect(page.getByText('Type a whole number of days from 1 to 3650.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save days' })).toBeDisabled();
  await dueDays.fill('30');
  await page.getByRole('button', { name: 'Save days' }).click();
  await expect(page.getByText("Saved. A medium's disposition is now due 30 days after it is first noted.")).toBeVisible();
  await shot(page, testInfo, '40b-settings-disposition-due', dueDays);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Export' }).click();
  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByRole('button', { name: 'Add files…' }).click();
  const fileDialog = page.getByRole('dialog', { name: 'Choose files to carry' });
  await fileDialog.getByRole('textbox', { name: 'Folder path' }).fill(files);
  await fileDialog.getByRole('button', { name: 'Go' }).click();
  await fileDialog.getByRole('checkbox', { name: 'runbook.md' }).check();
  await fileDialog.getByRole('checkbox', { name: 'weights.bin' }).check();
  await fileDialog.getByRole('button', { name: 'Add selected files' }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Media' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Media' }).click();
  await page.getByRole('option', { name: 'Custom size' }).click();
  await page.getByRole('textbox', { name: 'Volume size' }).fill('1MiB');
  await chooseFolder(page, 'Destination folder', path.join(work, 'usb'), 'Tab');
  await page.getByRole('textbox', { name: 'Bundle name' }).fill('custody-e2e');
  await expect(page.getByText('Free at destination')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Approval' })).toBeVisible();
  await page.getByRole('button', { name: 'Request approval' }).click();
  const toApprove = page.getByRole('table', { name: 'Artifacts to approve' });
  await expect(toApprove).toContainText('ferry.local/files/weights.bin:latest');
  await expect(toApprove).toContainText('ferry.local/files/runbook.md:latest');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.getByRole('combobox', { name: 'Approver' }).click();
  await expect(page.getByRole('option', { name: /Alice/ }), 'the requester cannot approve').toHaveCount(0);
  await page.getByRole('option', { name: 'Bob (security officer)' }).click();
  await page.getByLabel('Passphrase of Bob').fill('not bobs passphrase');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('The passphrase for Bob is wrong.')).toBeVisible();
  await expect.poll(() => fs.readdir(path.join(work, 'usb'))).toEqual([]);
  await page.getByLabel('Passphrase of Bob').fill('bob passphrase');
  await shot(page, testInfo, '41-export-approval', toApprove);
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText(/Approved by Bob at/)).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Verify media' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('textbox', { name: 'Media ID or serial' }).fill('USB-0042');
  await page.getByRole('textbox', { name: 'Label' }).fill('Custody USB');
  await page.getByRole('combobox', { name: 'Media type' }).click();
  await page.getByRole('option', { name: 'USB stick' }).click();
  await page.getByRole('textbox', { name: 'Seal number' }).fill('S-1001');
  await page.getByRole('button', { name: 'Read back and verify' }).click();
  const readBack = page.getByRole('table', { name: 'Volumes read back' });
  await expect(page.getByText('Custody USB is good')).toBeVisible({ timeout: 60_000 });
  const volumes = (await fs.readdir(bundleDir)).filter((f) => f.startsWith('custody-e2e.tar.'));
  expect(volumes.length).toBe(3);
  await expect(readBack.locator('tr[data-status="ok"]')).toHaveCount(volumes.length);
  await shot(page, testInfo, '42-export-media-verified', readBack);
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible();
  digest = `sha256:${await sha256(path.join(bundleDir, 'SHA256SUMS'))}`;
  await page.getByRole('link', { name: 'Record a handoff' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Handoff' })).toBeVisible();
  await page.getByRole('checkbox', { name: /^USB-0042/ }).check();
  await expect(page.getByRole('textbox', { name: 'From (name)' })).toHaveValue('Alice');
  await page.getByRole('textbox', { name: 'To (name)' }).fill('Carol');
  await page.getByRole('textbox', { name: 'To (role)' }).fill('courier');
  await page.getByRole('textbox', { name: 'Place' }).fill('Loading dock, building 2');
  await page.getByRole('radiogroup', { name: 'Seal intact' }).getByRole('radio', { name: 'Yes' }).check();
  await page.getByRole('textbox', { name: 'Seal number' }).fill('S-1001');
  await shot(page, testInfo, '43-handoff');
  await page.getByRole('button', { name: 'Record handoff' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Recorded as ledger line \d+\./ })).toBeVisible();

  const handoffs = JSON.parse(ferryCli(siteA.home, ['ledger', 'show', '--type', 'custody.handoff', '--json'])).result.entries;
  expect(handoffs).toHaveLength(1);
  expect(handoffs[0].event).toMatchObject({
    bundle: digest,
    from: { name: 'Alice' },
    to: { name: 'Carol', role: 'courier' },
    sealIntact: true,
    seal: 'S-1001',
    media: ['USB-0042'],
  });
  const approved = JSON.parse(ferryCli(siteA.home, ['ledger', 'show', '--type', 'export.approved', '--json'])).result.entries;
  expect(approved[0].event.operator).toEqual({ name: 'Bob', role: 'security officer' });
});

test('site A: the chain-of-custody page shows every step, and the transfer form prints to PDF', async ({ page }, testInfo) => {
  await siteA.open(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Ledger' }).click();
  await page.getByRole('tab', { name: 'Bundles' }).click();
  await page.getByRole('table', { name: 'Bundles' }).getByRole('link', { name: 'custody-e2e' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chain of custody: custody-e2e' })).toBeVisible();
  for (const stage of ['request', 'approval', 'export', 'checkpoint', 'media', 'custody']) {
    await expect(page.locator(`section[data-stage="${stage}"]`).first()).toBeVisible();
  }
  const chain = page.getByRole('region', { name: 'Chain of custody' });
  await expect(chain).toContainText('Bob');
  await expect(chain).toContainText('Alice (field engineer) → Carol (courier) at Loading dock, building 2, seal intact');
  await expect(page.getByRole('table', { name: 'Media' }).locator('tr[data-media="USB-0042"]')).toContainText('S-1001');
  await shot(page, testInfo, '44-chain-of-custody-export-side', chain);

  // Later, a second copy found in the safe is read back from the bundle's page, long after the export wizard was left.
  await page.getByRole('group', { name: 'Bundle actions' }).getByRole('button', { name: 'Read media back…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Read media back' });
  await chooseFolder(page, 'Folder to read back from', bundleDir);
  await dialog.getByRole('textbox', { name: 'Media ID or serial' }).fill('USB-0043');
  await dialog.getByRole('textbox', { name: 'Label' }).fill('Custody USB, second copy');
  await dialog.getByRole('combobox', { name: 'Media type' }).click();
  await page.getByRole('option', { name: 'USB stick' }).click();
  await dialog.getByRole('button', { name: 'Read back and verify' }).click();
  await expect(dialog.getByText('Custody USB, second copy is good')).toBeVisible({ timeout: 60_000 });
  await shot(page, testInfo, '44b-bundle-page-read-back', dialog.getByRole('table', { name: 'Volumes read back' }));
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Media' }).locator('tr[data-media="USB-0043"]')).toContainText('Custody USB, second copy');
  const reads = JSON.parse(ferryCli(siteA.home, ['ledger', 'show', '--type', 'media.verified', '--media', 'USB-0043', '--json'])).result.entries;
  expect(reads.map((e: { event: Record<string, unknown> }) => e.event)).toMatchObject([{ bundle: digest, result: 'ok', medium: { id: 'USB-0043' } }]);

  await page.getByRole('button', { name: 'Print transfer form' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ferry transfer form' })).toBeVisible();
  const form = page.getByRole('article', { name: 'Ferry transfer form' });
  await expect(form).toContainText(digest);
  await expect(form).toContainText('USB-0042');
  await expect(form.getByRole('table', { name: 'Media' }).getByRole('row', { name: /^USB-0042 .* Every volume matches$/ })).toBeVisible();
  // Licences: plain files state none, and the form says so rather than leaving the column blank.
  const contents = form.getByRole('table', { name: 'Contents' });
  await expect(contents.getByRole('columnheader', { name: 'Licence' })).toBeVisible();
  await expect(contents.getByRole('row').filter({ hasText: 'runbook.md' })).toContainText('None stated');
  await expect(form.getByRole('table', { name: 'Signatures' })).toContainText('Approved by');
  expect(await pageFooterRule(page)).toContain(`Ferry transfer form · ${digest}`);
  // Fingerprints read aloud at the desk: in groups of four.
  await expect(
    form
      .locator('dd')
      .filter({ hasText: /^([0-9a-f]{4} ){15}[0-9a-f]{4}$/ })
      .first(),
  ).toBeVisible();
  await shot(page, testInfo, '45-transfer-form');
  await printToPdf(page, '45-transfer-form');
});

test('site B: import the bundle; its chain of custody carries the exporter’s approval, and the receipt prints to PDF', async ({ page }, testInfo) => {
  ferryCli(siteB.home, ['keys', 'trust', path.join(siteA.home, 'keys', 'site.pub.pem'), '--name', 'Site A staging']);
  await siteB.open(page);

  // At site B's gate, before anything is imported: the courier hands the disc over, the seal still intact.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Handoff' }).click();
  await expect(page.getByText(/^No bundles in this ledger yet\. At a receiving gate, type or scan the bundle's full digest/)).toBeVisible();
  await page.getByRole('combobox', { name: 'Bundle' }).fill(digest);
  await page.getByRole('option', { name: /^Record its arrival: sha256:[0-9a-f]+…[0-9a-f]+ \(not in this ledger yet\)$/ }).click();
  await expect(page.getByText(/^This ledger has no record of this bundle yet\. The handoff is recorded as the media's arrival/)).toBeVisible();
  await page.getByRole('textbox', { name: 'Media IDs' }).fill('USB-0042');
  await page.getByRole('textbox', { name: 'From (name)' }).fill('Carol');
  await page.getByRole('textbox', { name: 'From (role)' }).fill('courier');
  await page.getByRole('textbox', { name: 'To (name)' }).fill('Erin');
  await page.getByRole('textbox', { name: 'To (role)' }).fill('gate officer');
  await page.getByRole('textbox', { name: 'Place' }).fill('Site B gate');
  await page.getByRole('radiogroup', { name: 'Seal intact' }).getByRole('radio', { name: 'Yes' }).check();
  await page.getByRole('textbox', { name: 'Seal number' }).fill('S-1001');
  await shot(page, testInfo, '45b-handoff-arrival-before-import', page.getByRole('textbox', { name: 'Media IDs' }));
  await page.getByRole('button', { name: 'Record handoff' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: /^Recorded as ledger line \d+: the media's arrival, before this ledger has any other record/ }),
  ).toBeVisible();
  const arrival = JSON.parse(ferryCli(siteB.home, ['ledger', 'show', '--type', 'custody.handoff', '--json'])).result.entries;
  expect(arrival.map((e: { event: Record<string, unknown> }) => e.event)).toMatchObject([
    {
      bundle: digest,
      from: { name: 'Carol', role: 'courier' },
      to: { name: 'Erin', role: 'gate officer' },
      sealIntact: true,
      seal: 'S-1001',
      media: ['USB-0042'],
    },
  ]);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
  await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
  await chooseFolder(page, 'Bundle folder', bundleDir);
  await expect(page.getByText(/^Signed by a trusted key/)).toBeVisible({ timeout: 60_000 });
  // Whose key signed it, as recorded when site B trusted it, beside the fingerprint read in groups of four.
  await expect(page.getByText('Site A staging', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Targets' })).toBeVisible();
  await chooseFolder(page, 'Folder for files', path.join(work, 'restored'), 'Tab');
  await page.getByRole('button', { name: 'Start import' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });
  expect(await sha256(path.join(work, 'restored', 'weights.bin'))).toBe(await sha256(path.join(files, 'weights.bin')));

  await page.getByRole('button', { name: 'Open chain of custody' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chain of custody: custody-e2e' })).toBeVisible();
  for (const stage of ['request', 'approval', 'export', 'custody', 'verification', 'import']) {
    await expect(page.locator(`section[data-stage="${stage}"]`).first()).toBeVisible();
  }
  // The arrival recorded at the gate before the import is part of this bundle's chain now.
  await expect(page.getByRole('region', { name: 'Chain of custody' })).toContainText('Carol (courier) → Erin (gate officer) at Site B gate, seal intact');
  const carriedApproval = page.locator('section[data-stage="approval"] li[data-origin="exporter"]');
  await expect(carriedApproval).toContainText('Bob');
  await expect(page.getByText("Valid: the exporter's checkpoint carried in the bundle verifies against its signature.")).toBeVisible();
  await shot(page, testInfo, '46-chain-of-custody-import-side', page.getByRole('region', { name: 'Chain of custody' }));

  await page.getByRole('button', { name: 'Print receipt' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ferry import receipt' })).toBeVisible();
  const receipt = page.getByRole('article', { name: 'Ferry import receipt' });
  await expect(receipt).toContainText(digest);
  await expect(receipt.getByRole('table', { name: 'Signatures' })).toContainText('Imported by');
  expect(await pageFooterRule(page)).toContain(`Ferry import receipt · ${digest}`);
  // No stored key names on paper: the signature check and the volumes' table read as words.
  await expect(receipt).not.toContainText('signatureValid');
  await expect(receipt.getByRole('columnheader', { name: 'SHA-256' }).first()).toBeVisible();
  await expect(receipt.getByRole('cell', { name: '1.00 MiB', exact: true }).first()).toBeVisible();
  await shot(page, testInfo, '47-import-receipt');
  await printToPdf(page, '47-import-receipt');

  // The disc that arrived is B's to account for until its disposition is recorded.
  const open = JSON.parse(ferryCli(siteB.home, ['ledger', 'flags', '--json'])).result.flags;
  expect(open.map((f: { kind: string; media?: string }) => [f.kind, f.media])).toEqual([['media-not-dispositioned', 'USB-0042']]);
  ferryCli(siteB.home, [
    'media',
    'dispose',
    digest,
    '--media-id',
    'USB-0042',
    '--action',
    'retained',
    '--method',
    'site B vault, shelf 3',
    '--operator',
    'Erin',
  ]);
  const flags = JSON.parse(ferryCli(siteB.home, ['ledger', 'flags', '--json'])).result.flags;
  expect(flags).toEqual([]);
  expect(ferryCli(siteB.home, ['ledger', 'verify'])).toContain('The hash chain is intact.');
});

test('site B reconciles with site A’s auditor’s kit: a bundle exported there and never imported here is flagged', async ({ page }, testInfo) => {
  ferryAs(siteA.home, 'Alice', ['approval', 'rule', 'off']);
  // Until a second person decides, Home says so to whoever opens the app at site A.
  await siteA.open(page);
  const ruleChange = page.getByRole('list', { name: 'Rule changes waiting' });
  await expect(ruleChange).toContainText('Turning the two-person rule off waits for a second person');
  await expect(ruleChange).toContainText('Asked by Alice (field engineer)');
  await shot(page, testInfo, '47b-home-rule-change-waiting', ruleChange);
  await ruleChange.getByRole('link', { name: 'Review the rule change in Settings' }).click();
  await expect(page.getByRole('region', { name: 'Two-person rule' }).getByText('Waiting for a second person')).toBeVisible();
  ferryAs(siteA.home, 'Bob', ['approval', 'rule', 'off']);
  ferryCli(siteA.home, ['export', '--file', path.join(files, 'runbook.md'), '--out', path.join(work, 'usb', 'never-carried')]);
  ferryCli(siteA.home, ['ledger', 'export', '--out', path.join(work, 'kit-a')]);
  await siteB.open(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Ledger' }).click();
  await page.getByRole('tab', { name: /^Flags/ }).click();
  await expect(page.getByText('No reconciliation flags')).toBeVisible();
  await chooseFolder(page, "Another site's auditor's kit", path.join(work, 'kit-a'));
  await expect(page.getByRole('status').filter({ hasText: 'Compared with the ledger in' })).toBeVisible();
  const flagged = page.getByRole('table', { name: 'Reconciliation flags' }).locator('tr[data-flag="not-imported"]');
  await expect(flagged).toHaveCount(1);
  await expect(flagged).toContainText('never-carried');
  await shot(page, testInfo, '48-ledger-flags-across-sites', page.getByRole('table', { name: 'Reconciliation flags' }));

  // Both sites' story on one page: site A's read-back and handoff of the bundle join site B's chain of custody.
  await page.getByRole('tab', { name: 'Bundles' }).click();
  await page.getByRole('table', { name: 'Bundles' }).getByRole('link', { name: 'custody-e2e' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Chain of custody: custody-e2e' })).toBeVisible();
  const chain = page.getByRole('region', { name: 'Chain of custody' });
  const fromA = chain.locator('li[data-origin="other-site"]');
  await expect(fromA.first()).toBeVisible();
  await expect(chain).toContainText('Alice (field engineer) → Carol (courier) at Loading dock, building 2, seal intact');
  await expect(chain).toContainText('From the other site');
  await expect(page.getByRole('table', { name: 'Media' }).locator('tr[data-media="USB-0042"]')).toContainText('S-1001');
  await shot(page, testInfo, '48b-chain-of-custody-both-sites', chain);
});

test('site B revokes site A’s key in Settings: a bundle it signed is then refused at Verify, naming the revocation', async ({ page }, testInfo) => {
  ferryCli(siteB.home, ['people', 'add', 'Erin', '--role', 'security officer', '--passphrase-stdin'], 'erin passphrase\n');
  await siteB.open(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const keys = page.getByRole('list', { name: 'Trusted keys' });
  const siteAKey = keys.getByRole('listitem').filter({ hasText: 'Site A staging' });
  await expect(siteAKey).toContainText(/Trusted .* by /);
  await siteAKey.getByRole('button', { name: 'Revoke the key of Site A staging' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke a trusted key' });
  await expect(dialog.getByRole('button', { name: 'Revoke key' })).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('key retired after the exercise');
  await dialog.getByRole('combobox', { name: 'Revoked by' }).click();
  await page.getByRole('option', { name: 'Erin (security officer)' }).click();
  await dialog.getByLabel('Passphrase of Erin').fill('erin passphrase');
  await dialog.getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Revoked the key of Site A staging\. Recorded as ledger line \d+/ })).toBeVisible();
  await expect(siteAKey).toContainText('Revoked');
  await expect(siteAKey).toContainText('key retired after the exercise');
  await shot(page, testInfo, '49-settings-key-revoked', keys);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
  await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
  await chooseFolder(page, 'Bundle folder', bundleDir);
  const refusal = page.getByRole('alert').filter({ hasText: /The key of Site A staging was revoked at .* by Erin: key retired after the exercise\./ });
  await expect(refusal).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Revoked', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Trust this key…' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Next' })).toHaveCount(0);
  await shot(page, testInfo, '49b-import-refused-revoked-key', refusal);
});

test('site A: one folder per disc: the Done page lists which folder goes on which disc, disc 2 is read back, and the transfer form shows each volume’s disc', async ({
  page,
}, testInfo) => {
  await siteA.open(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Export' }).click();
  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByRole('button', { name: 'Add files…' }).click();
  const fileDialog = page.getByRole('dialog', { name: 'Choose files to carry' });
  await fileDialog.getByRole('textbox', { name: 'Folder path' }).fill(files);
  await fileDialog.getByRole('button', { name: 'Go' }).click();
  await fileDialog.getByRole('checkbox', { name: 'weights.bin' }).check();
  await fileDialog.getByRole('button', { name: 'Add selected files' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('combobox', { name: 'Media' }).click();
  await page.getByRole('option', { name: 'Custom size' }).click();
  await page.getByRole('textbox', { name: 'Volume size' }).fill('1MiB');
  await page.getByRole('checkbox', { name: 'One folder per disc, to burn' }).check();
  await chooseFolder(page, 'Destination folder', path.join(work, 'usb'), 'Tab');
  await page.getByRole('textbox', { name: 'Bundle name' }).fill('discs-e2e');
  await expect(page.getByText('Free at destination')).toBeVisible();
  await page.getByRole('button', { name: 'Build bundle' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Verify media' })).toBeVisible({ timeout: 60_000 });
  const discs = path.join(work, 'usb', 'discs-e2e');
  expect((await fs.readdir(discs)).sort()).toEqual(['disc-01', 'disc-02', 'disc-03']);
  await expect(page.getByText(path.join(discs, 'disc-01'), { exact: true }), 'the first disc is offered to read back').toBeVisible();
  await page.getByRole('button', { name: 'Change folder' }).click();
  await chooseFolder(page, 'Folder to read back from', path.join(discs, 'disc-02'), 'Tab');
  await page.getByRole('textbox', { name: 'Media ID or serial' }).fill('BD-0002');
  await page.getByRole('textbox', { name: 'Label' }).fill('Disc 2 of 3');
  await page.getByRole('combobox', { name: 'Media type' }).click();
  await page.getByRole('option', { name: 'BD-R' }).click();
  await page.getByRole('button', { name: 'Read back and verify' }).click();
  await expect(page.getByText('Disc 2 of 3 is good')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible();
  const burn = page.getByRole('table', { name: 'Burn list' });
  await expect(burn.getByRole('row')).toHaveCount(4);
  await expect(burn).toContainText('Disc 2 of 3');
  await expect(burn).toContainText('discs-e2e.tar.002');
  await shot(page, testInfo, '42b-export-done-burn-list', burn);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Ledger' }).click();
  await page.getByRole('tab', { name: 'Bundles' }).click();
  await page.getByRole('table', { name: 'Bundles' }).getByRole('link', { name: 'discs-e2e' }).click();
  await page.getByRole('button', { name: 'Print transfer form' }).click();
  const volumes = page.getByRole('article', { name: 'Ferry transfer form' }).getByRole('table', { name: 'Volumes' });
  await expect(volumes.getByRole('row').filter({ hasText: 'discs-e2e.tar.003' })).toContainText('disc-03');
  await shot(page, testInfo, '46c-transfer-form-discs', volumes);
});

test('site C overrides the refusal of an untrusted signer once, with a reason and an enrolled officer’s signature; the key stays untrusted', async ({
  page,
}, testInfo) => {
  const siteC = await startFerryHost({ home: path.join(work, 'home-c') });
  try {
    ferryCli(siteC.home, ['people', 'add', 'Fay', '--role', 'security officer', '--passphrase-stdin'], 'fay passphrase\n');
    await siteC.open(page);
    await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
    await chooseFolder(page, 'Bundle folder', bundleDir);
    await expect(page.getByText('Signed by a key this site does not trust yet')).toBeVisible({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Import once anyway…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import once without trusting the key' });
    await expect(dialog.getByRole('button', { name: 'Approve override' })).toBeDisabled();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('fingerprint confirmed by phone with site A; key exchange pending');
    await dialog.getByRole('combobox', { name: 'Approved by' }).click();
    await page.getByRole('option', { name: 'Fay (security officer)' }).click();
    await dialog.getByLabel('Passphrase of Fay').fill('fay passphrase');
    await shot(page, testInfo, '50-import-override', dialog);
    await dialog.getByRole('button', { name: 'Approve override' }).click();
    const under = page.getByRole('status').filter({ hasText: 'Under an override' });
    await expect(under).toBeVisible({ timeout: 60_000 });
    await shot(page, testInfo, '50b-import-under-override', under);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Targets' })).toBeVisible();
    await chooseFolder(page, 'Folder for files', path.join(work, 'restored-c'), 'Tab');
    await page.getByRole('button', { name: 'Start import' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });
    expect(await fs.readFile(path.join(work, 'restored-c', 'runbook.md'), 'utf8')).toBe('# Install runbook\n');

    const overrides = JSON.parse(ferryCli(siteC.home, ['ledger', 'show', '--type', 'import.override', '--json'])).result.entries;
    expect(overrides).toHaveLength(1);
    expect(overrides[0].event).toMatchObject({
      bundle: digest,
      reason: 'fingerprint confirmed by phone with site A; key exchange pending',
      operator: { name: 'Fay' },
    });
    expect(JSON.parse(ferryCli(siteC.home, ['keys', 'list', '--json'])).result.keys).toEqual([]);

    // Trusting the key for good is a decision too: with Fay enrolled here, she signs it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Trust a key…' }).click();
    const trust = page.getByRole('dialog', { name: 'Trust a public key' });
    await trust.getByRole('textbox', { name: 'Public key (PEM)' }).fill(await fs.readFile(path.join(siteA.home, 'keys', 'site.pub.pem'), 'utf8'));
    await trust.getByRole('textbox', { name: 'Whose key is this?' }).fill('Site A staging');
    await trust.getByRole('checkbox', { name: 'I compared this fingerprint with the one the exporting site gave me' }).check();
    await expect(trust.getByRole('button', { name: 'Trust key' })).toBeDisabled();
    await trust.getByRole('combobox', { name: 'Trusted by' }).click();
    await page.getByRole('option', { name: 'Fay (security officer)' }).click();
    await trust.getByLabel('Passphrase of Fay').fill('fay passphrase');
    await expectAccessible(page, testInfo, 'Settings › Trust a public key, signed');
    await shot(page, testInfo, '50c-settings-trust-key-signed', trust);
    await trust.getByRole('button', { name: 'Trust key' }).click();
    await expect(page.getByRole('list', { name: 'Trusted keys' })).toContainText('Site A staging');
    await expect(page.getByRole('list', { name: 'Trusted keys' })).toContainText('by Fay');
    const [trusted] = JSON.parse(ferryCli(siteC.home, ['ledger', 'show', '--type', 'key.trusted', '--json'])).result.entries;
    expect(trusted.event).toMatchObject({ name: 'Site A staging', operator: { name: 'Fay' }, statement: { decision: 'key.trust' } });
  } finally {
    await siteC.stop();
  }
});

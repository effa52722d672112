import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeOllamaStore } from '../dist/main/testing/ollama-fixture.js';
import { tabTo } from './support/a11y.js';
import { repo, startFerryHost, tempDir, type RunningHost } from './support/host.js';
import { shot } from './support/page.js';

/**
 * Keyboard only: both wizards from Home to Done with Tab, Shift+Tab, Enter, Space, the arrow keys
 * and typing; no clicks, no fills. Locators only assert where the focus is before a key is pressed.
 */
test.describe.configure({ mode: 'serial' });

let work: string;
let storeA: string;
let bundleDir: string;
let siteA: RunningHost;
let siteB: RunningHost;

function ferryCli(home: string, args: string[]): string {
  return execFileSync(process.execPath, [path.join(repo, 'bin', 'ferry.js'), ...args], { env: { ...process.env, FERRY_HOME: home }, encoding: 'utf8' });
}

/** Replaces the focused text field's value with `text`, as a user does: select all, type over it. */
async function typeOver(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

test.beforeAll(async () => {
  work = await tempDir('keyboard');
  storeA = path.join(work, 'store-a');
  await makeOllamaStore(storeA, [
    { name: 'granite4.1:8b', modelBytes: 2 * 1024 * 1024 + 333, license: 'Apache-2.0', quantization: 'Q4_K_M' },
    { name: 'acme/tiny:1', sharedWith: 'granite4.1:8b' },
  ]);
  for (const dir of ['usb', 'pvc/models']) await fs.mkdir(path.join(work, dir), { recursive: true });
  bundleDir = path.join(work, 'usb', 'keyboard-e2e');
  siteA = await startFerryHost({ home: path.join(work, 'home-a'), env: { OLLAMA_MODELS: storeA } });
  siteB = await startFerryHost({ home: path.join(work, 'home-b'), env: { OLLAMA_MODELS: path.join(work, 'pvc', 'models') } });
});

test.afterAll(async () => {
  await siteA?.stop();
  await siteB?.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

test('the skip link is the first Tab stop and moves the focus to the page', async ({ page }) => {
  await siteA.open(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main').getByRole('heading', { level: 1, name: 'Home' })).toBeFocused();
  // The next Tab stop is inside the page, not back in the app bar.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.querySelector('main')?.contains(document.activeElement))).toBe(true);
});

test('export by keyboard: a model, the media, a destination chosen in the folder browser, build, read back, Done', async ({ page }, testInfo) => {
  await siteA.open(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Export (connected side)' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Export' })).toBeFocused();

  // The tabs: arrow keys move between them, and back.
  await tabTo(page, page.getByRole('tab', { name: 'Ollama models' }));
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Hugging Face' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Hugging Face' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Ollama models' })).toHaveAttribute('aria-selected', 'true');

  const model = page.getByRole('checkbox', { name: 'Select granite4.1:8b' });
  await tabTo(page, model);
  await page.keyboard.press('Space');
  await expect(model).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');

  // Each new step takes the focus to its h2, so Tab goes on from the top of the step.
  await expect(page.getByRole('heading', { level: 2, name: 'Media' })).toBeFocused();
  const media = page.getByRole('combobox', { name: 'Media' });
  await tabTo(page, media);
  await page.keyboard.press('Enter');
  const custom = page.getByRole('option', { name: 'Custom size' });
  for (let i = 0; i < 12 && !(await custom.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await expect(custom).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(media).toHaveText('Custom size');
  await expect(media).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('textbox', { name: 'Volume size' })).toBeFocused();
  await page.keyboard.type('1MiB');

  // The destination, chosen in the folder browser: type the path, Enter, then open a folder from the list.
  const browse = page.getByRole('button', { name: 'Browse for Destination folder' });
  await tabTo(page, browse);
  await page.keyboard.press('Enter');
  const picker = page.getByRole('dialog', { name: 'Choose where to write the bundle' });
  await expect(picker).toBeVisible();
  await tabTo(page, picker.getByRole('textbox', { name: 'Folder path' }));
  await typeOver(page, work);
  await page.keyboard.press('Enter');
  const usb = picker.getByRole('button', { name: 'usb', exact: true });
  await tabTo(page, usb);
  await page.keyboard.press('Enter');
  await expect(picker.getByRole('textbox', { name: 'Folder path' })).toHaveValue(path.join(work, 'usb'));
  await tabTo(page, picker.getByRole('button', { name: 'Choose this folder' }));
  await shot(page, testInfo, '68-keyboard-folder-browser');
  await page.keyboard.press('Enter');
  await expect(picker).toHaveCount(0);
  await expect(browse).toBeFocused();
  await expect(page.getByRole('textbox', { name: 'Destination folder' })).toHaveValue(path.join(work, 'usb'));

  await tabTo(page, page.getByRole('textbox', { name: 'Bundle name' }));
  await typeOver(page, 'keyboard-e2e');
  await expect(page.getByText('Free at destination')).toBeVisible();
  const licences = page.getByRole('checkbox', { name: 'I have read the licences of the selected models' });
  await tabTo(page, licences);
  await page.keyboard.press('Space');
  await expect(licences).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Build bundle' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 2, name: 'Verify media' })).toBeFocused({ timeout: 30_000 });
  await tabTo(page, page.getByRole('textbox', { name: 'Media ID or serial' }));
  await page.keyboard.type('USB-0007');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('textbox', { name: 'Label', exact: true })).toBeFocused();
  await page.keyboard.type('Keyboard USB');
  const type = page.getByRole('combobox', { name: 'Media type' });
  await tabTo(page, type);
  await page.keyboard.press('ArrowDown');
  const usbStick = page.getByRole('option', { name: 'USB stick' });
  for (let i = 0; i < 10 && !(await usbStick.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await expect(usbStick).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(type).toHaveText('USB stick');
  await tabTo(page, page.getByRole('button', { name: 'Read back and verify' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText('Keyboard USB is good')).toBeVisible({ timeout: 30_000 });
  await shot(page, testInfo, '69-keyboard-verify-media');
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeFocused();
  await expect(page.getByRole('alert').filter({ hasText: 'The bundle keyboard-e2e is written and signed' })).toBeVisible();
});

test('import by keyboard: the bundle folder, verify, targets, start, Done', async ({ page }, testInfo) => {
  // Trusting the exporter's key is not what this test is about: done with the CLI.
  ferryCli(siteB.home, ['keys', 'trust', path.join(siteA.home, 'keys', 'site.pub.pem')]);
  await siteB.open(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Import (disconnected side)' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeFocused();

  await tabTo(page, page.getByRole('textbox', { name: 'Bundle folder' }));
  await page.keyboard.type(bundleDir);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Verify' })).toBeFocused({ timeout: 30_000 });
  await expect(page.getByText(/^Signed by a trusted key/)).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 2, name: 'Targets' })).toBeFocused();
  const store = page.getByRole('textbox', { name: 'Ollama store folder' });
  await tabTo(page, store);
  await typeOver(page, path.join(work, 'pvc', 'models'));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Start import' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeFocused({ timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'Imported artifacts' })).toContainText('granite4.1:8b');
  await shot(page, testInfo, '70-keyboard-import-done');
});

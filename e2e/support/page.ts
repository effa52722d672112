import fs from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { SCREENSHOTS } from './host.js';

/** A viewport screenshot into test-results/screenshots (the app bar is sticky, so full-page shots tear), scrolled to `focus` first. */
export async function shot(page: Page, testInfo: TestInfo, name: string, focus?: Locator): Promise<void> {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  if (focus) await focus.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/** Types a folder into a folder field as a user would; `confirm` is the key that commits it. */
export async function chooseFolder(page: Page, label: string, folder: string, confirm: 'Enter' | 'Tab' = 'Enter'): Promise<void> {
  const field = page.getByRole('textbox', { name: label, exact: true });
  await field.fill(folder);
  await field.press(confirm);
}

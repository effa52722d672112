import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFerryHost, tempDir } from './support/host.js';
import { shot } from './support/page.js';

/** Settings › Diagnostics for support: one archive, saved as a download, with the ledger's newest lines when asked. */
test('Settings saves a diagnostics archive for support', async ({ page }, testInfo) => {
  const work = await tempDir('diagnostics');
  const host = await startFerryHost({ home: path.join(work, 'home') });
  try {
    await host.open(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Diagnostics for support' });
    await section.getByRole('checkbox', { name: /^Include the newest ledger lines/ }).check();
    const download = page.waitForEvent('download');
    await section.getByRole('button', { name: 'Save diagnostics' }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toMatch(/^ferry-diagnostics-.*\.tar\.gz$/);
    const file = path.join(work, saved.suggestedFilename());
    await saved.saveAs(file);
    const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toContain('ferry-diagnostics/summary.json');
    expect(listed).toContain('ferry-diagnostics/ledger-newest.tsv');
    const status = section.getByRole('status').filter({ hasText: 'Saved ' });
    await expect(status).toContainText(`Saved ${saved.suggestedFilename()}`);
    await expect(status.getByRole('button', { name: 'Copy SHA-256 of the diagnostics archive' })).toBeVisible();
    await shot(page, testInfo, '52-settings-diagnostics', section);
  } finally {
    await host.stop();
    await fs.rm(work, { recursive: true, force: true });
  }
});

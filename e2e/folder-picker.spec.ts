import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFerryHost, tempDir } from './support/host.js';

/**
 * The folder picker on a slow host: its first listing (the home folder) arrives only after the
 * person has typed a path. The WebSocket is routed through the test, which holds that one answer
 * back for a second and a half.
 */
let work: string;

test.beforeAll(async () => {
  work = await tempDir('folder-picker');
  await fs.mkdir(path.join(work, 'usb'), { recursive: true });
});
test.afterAll(() => fs.rm(work, { recursive: true, force: true }));

test('a path typed while the first listing is on its way is kept, and Go lists it', async ({ page }) => {
  const host = await startFerryHost({ home: path.join(work, 'home') });
  const heldBack = new Set<number>();
  let released = false;
  await page.routeWebSocket(/\/rpc$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const call = JSON.parse(String(message)) as { id?: number; method?: string; params?: { path?: string } };
      if (call.method === 'fs.list' && !call.params?.path && typeof call.id === 'number') heldBack.add(call.id);
      server.send(message);
    });
    server.onMessage((message) => {
      const answer = JSON.parse(String(message)) as { id?: number };
      if (typeof answer.id === 'number' && heldBack.delete(answer.id)) {
        setTimeout(() => {
          released = true;
          ws.send(message);
        }, 1500);
      } else ws.send(message);
    });
  });
  try {
    await host.open(page);
    await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
    await page.getByRole('button', { name: 'Browse for Bundle folder' }).click();
    const picker = page.getByRole('dialog', { name: 'Choose the bundle folder' });
    await picker.getByRole('textbox', { name: 'Folder path' }).fill(work);
    expect(released, 'the first listing is still on its way while the path is typed').toBe(false);
    await expect.poll(() => released, { timeout: 5000 }).toBe(true);
    await expect(picker.getByRole('textbox', { name: 'Folder path' })).toHaveValue(work);
    await picker.getByRole('button', { name: 'Go' }).click();
    await expect(picker.getByRole('button', { name: 'usb', exact: true })).toBeVisible();
  } finally {
    await host.stop();
  }
});

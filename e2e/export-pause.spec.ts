import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeOllamaStore } from '../dist/main/testing/ollama-fixture.js';
import { expectAccessible } from './support/a11y.js';
import { repo, startFerryHost, tempDir } from './support/host.js';
import { chooseFolder, shot } from './support/page.js';

/**
 * An export paused on the Build step keeps the volumes it finished; Resume (on Home) checks them,
 * writes the rest, and the bundle verifies and equals an export that was never paused.
 */
let work: string;

function ferryCli(home: string, args: string[]): string {
  return execFileSync(process.execPath, [path.join(repo, 'bin', 'ferry.js'), ...args], { env: { ...process.env, FERRY_HOME: home }, encoding: 'utf8' });
}

/** The volumes the export has finished, from the record it keeps beside them while it runs. */
async function finishedVolumes(bundle: string): Promise<{ file: string }[]> {
  const text = await fs.readFile(path.join(bundle, '.ferry-export-progress.json'), 'utf8').catch(() => '{"volumes":[]}');
  return (JSON.parse(text) as { volumes: { file: string }[] }).volumes;
}

/** Export of `models` into `destination`/`name` in 128 MiB volumes, from Home to the Build step's start. */
async function buildBundle(page: Page, models: string[], destination: string, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Export (connected side)' }).click();
  for (const model of models) await page.getByRole('checkbox', { name: `Select ${model}` }).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('combobox', { name: 'Media' }).click();
  await page.getByRole('option', { name: 'Custom size' }).click();
  await page.getByRole('textbox', { name: 'Volume size' }).fill('128MiB');
  await chooseFolder(page, 'Destination folder', destination);
  await page.getByRole('textbox', { name: 'Bundle name' }).fill(name);
  await expect(page.getByText('Free at destination')).toBeVisible();
  await page.getByRole('button', { name: 'Build bundle' }).click();
}

test.beforeAll(async () => {
  work = await tempDir('export-pause');
});
test.afterAll(() => fs.rm(work, { recursive: true, force: true }));

test('an export paused on the Build step resumes from Home and finishes a bundle that verifies', async ({ page }, testInfo) => {
  const store = path.join(work, 'store');
  await makeOllamaStore(store, [{ name: 'big:1', modelBytes: 1024 * 1024 * 1024 }]);
  const home = path.join(work, 'home');
  const destination = path.join(work, 'usb');
  const bundle = path.join(destination, 'paused');
  await fs.mkdir(destination);
  const host = await startFerryHost({ home, env: { OLLAMA_MODELS: store } });
  try {
    await host.open(page);
    await buildBundle(page, ['big:1'], destination, 'paused');

    await expect.poll(async () => (await finishedVolumes(bundle)).length, { timeout: 60_000, intervals: [20] }).toBeGreaterThanOrEqual(1);
    await page.getByRole('button', { name: 'Pause export' }).click();
    const paused = page.getByRole('alert').filter({ hasText: 'The export is paused' });
    await expect(paused).toBeVisible({ timeout: 30_000 });
    await shot(page, testInfo, '46-export-paused');
    const kept = await finishedVolumes(bundle);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(9);
    expect(await fs.readdir(bundle)).not.toContain('SHA256SUMS.sig');
    const before = await Promise.all(kept.map((v) => fs.stat(path.join(bundle, `.${v.file}.ferry.partial`))));

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    const attention = page.getByRole('list', { name: 'Unfinished jobs' });
    await expect(attention).toContainText('Paused: resuming keeps the volumes already written');
    await shot(page, testInfo, '47-home-resume-export');
    await attention.getByRole('button', { name: /^Resume / }).click();
    await expect.poll(async () => (await fs.readdir(bundle)).includes('SHA256SUMS.sig'), { timeout: 90_000 }).toBe(true);

    const after = await Promise.all(kept.map((v) => fs.stat(path.join(bundle, v.file))));
    expect(after.map((s) => [s.ino, s.mtimeMs])).toEqual(before.map((s) => [s.ino, s.mtimeMs]));
    const verified = ferryCli(home, ['verify', bundle, '--trust', path.join(home, 'keys', 'site.pub.pem')]);
    expect(verified).toContain('Verified');
    const pausedEvents = JSON.parse(ferryCli(home, ['ledger', 'show', '--type', 'export.paused', '--json'])) as { result: { entries: unknown[] } };
    expect(pausedEvents.result.entries).toHaveLength(1);

    const clean = path.join(work, 'clean', 'paused');
    ferryCli(path.join(work, 'clean-home'), ['export', '--out', clean, '--ollama', 'big:1', '--ollama-store', store, '--volume-size', '128MiB']);
    const volumes = (await fs.readdir(clean)).filter((f) => f.startsWith('paused.tar.')).sort();
    expect((await fs.readdir(bundle)).filter((f) => f.startsWith('paused.tar.')).sort()).toEqual(volumes);
    for (const file of volumes) expect((await fs.readFile(path.join(bundle, file))).equals(await fs.readFile(path.join(clean, file))), file).toBe(true);
  } finally {
    await host.stop();
  }
});

test('an export that fails midway keeps its finished volumes; once the model is back, Resume on the Build step goes on from them', async ({
  page,
}, testInfo) => {
  const store = path.join(work, 'store-two');
  const { models } = await makeOllamaStore(store, [
    { name: 'big:1', modelBytes: 512 * 1024 * 1024 },
    { name: 'zed:1', modelBytes: 8 * 1024 * 1024 },
  ]);
  // zed:1 comes after big:1 in the bundle: its weights go missing (a store on a disk that went away) before the export reaches them.
  const zedWeights = path.join(store, 'blobs', models.find((m) => m.name === 'zed:1')!.blobs[1]!.replace(':', '-'));
  const home = path.join(work, 'home-failed');
  const destination = path.join(work, 'usb-failed');
  const bundle = path.join(destination, 'failed');
  await fs.mkdir(destination);
  const host = await startFerryHost({ home, env: { OLLAMA_MODELS: store } });
  try {
    await host.open(page);
    await buildBundle(page, ['big:1', 'zed:1'], destination, 'failed');

    await expect.poll(async () => (await finishedVolumes(bundle)).length, { timeout: 60_000, intervals: [20] }).toBeGreaterThanOrEqual(1);
    await fs.rename(zedWeights, `${zedWeights}.away`);
    await expect(page.getByRole('alert').filter({ hasText: 'The export failed' })).toContainText('is missing');
    const kept = page.getByRole('alert').filter({ hasText: 'The 4 volumes already written are kept' });
    await expect(kept).toBeVisible();
    await shot(page, testInfo, '46b-export-failed-volumes-kept');
    expect(await finishedVolumes(bundle)).toHaveLength(4);
    expect(await fs.readdir(bundle)).not.toContain('SHA256SUMS.sig');
    const before = await Promise.all((await finishedVolumes(bundle)).map((v) => fs.stat(path.join(bundle, `.${v.file}.ferry.partial`))));

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    await expect(page.getByRole('list', { name: 'Unfinished jobs' })).toContainText('Failed: the 4 volumes already written are kept');
    await page.goBack();
    await fs.rename(`${zedWeights}.away`, zedWeights);
    await page.getByRole('alert').filter({ hasText: 'The 4 volumes already written are kept' }).getByRole('button', { name: 'Resume' }).click();
    await expect.poll(async () => (await fs.readdir(bundle)).includes('SHA256SUMS.sig'), { timeout: 90_000 }).toBe(true);

    const volumes = (await fs.readdir(bundle)).filter((f) => f.startsWith('failed.tar.')).sort();
    expect(volumes).toHaveLength(5);
    const after = await Promise.all(volumes.slice(0, 4).map((file) => fs.stat(path.join(bundle, file))));
    expect(after.map((s) => [s.ino, s.mtimeMs])).toEqual(before.map((s) => [s.ino, s.mtimeMs]));
    const verified = ferryCli(home, ['verify', bundle, '--trust', path.join(home, 'keys', 'site.pub.pem')]);
    expect(verified).toContain('Verified');
    const failed = JSON.parse(ferryCli(home, ['ledger', 'show', '--type', 'export.failed', '--json'])) as {
      result: { entries: { event: { volumesKept?: number } }[] };
    };
    expect(failed.result.entries.map((e) => e.event.volumesKept)).toEqual([4]);
  } finally {
    await host.stop();
  }
});

test('discarding an export that kept volumes (Build step, Home) asks first, then removes them and its folder', async ({ page }, testInfo) => {
  const store = path.join(work, 'store-dismiss');
  const { models } = await makeOllamaStore(store, [
    { name: 'big:1', modelBytes: 384 * 1024 * 1024 },
    { name: 'zed:1', modelBytes: 8 * 1024 * 1024 },
  ]);
  const zedWeights = path.join(store, 'blobs', models.find((m) => m.name === 'zed:1')!.blobs[1]!.replace(':', '-'));
  const home = path.join(work, 'home-dismiss');
  const destination = path.join(work, 'usb-dismiss');
  const bundle = path.join(destination, 'dropped');
  await fs.mkdir(destination);
  await fs.writeFile(path.join(destination, 'notes.txt'), 'the officer’s own file');
  const host = await startFerryHost({ home, env: { OLLAMA_MODELS: store } });
  try {
    await host.open(page);
    await buildBundle(page, ['big:1', 'zed:1'], destination, 'dropped');
    await expect.poll(async () => (await finishedVolumes(bundle)).length, { timeout: 60_000, intervals: [20] }).toBeGreaterThanOrEqual(1);
    await fs.rename(zedWeights, `${zedWeights}.away`);
    const kept = page.getByRole('alert').filter({ hasText: 'The 3 volumes already written are kept' });
    await expect(kept).toBeVisible({ timeout: 60_000 });

    // On the Build step: Discard asks first, and Cancel keeps everything.
    await kept.getByRole('button', { name: 'Discard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this export?' });
    await expect(dialog).toContainText('The 3 volumes it has already written in this folder are removed');
    await expect(dialog.getByLabel('Bundle folder')).toHaveText(bundle);
    await shot(page, testInfo, '46c-discard-export-dialog');
    await expectAccessible(page, testInfo, 'Build › Discard an export that kept volumes', { within: '[role="dialog"]' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect(await finishedVolumes(bundle)).toHaveLength(3);

    // On Home: Dismiss asks the same, and removes them.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    const attention = page.getByRole('list', { name: 'Unfinished jobs' });
    await attention.getByRole('button', { name: /^Dismiss / }).click();
    await expect(dialog).toContainText('The 3 volumes it has already written in this folder are removed');
    await page.getByRole('dialog').getByRole('button', { name: 'Discard the volumes' }).click();
    await expect(page.getByRole('dialog')).toBeHidden();
    await expect(page.getByRole('list', { name: 'Unfinished jobs' })).toBeHidden();
    await expect(fs.stat(bundle)).rejects.toThrow();
    expect(await fs.readdir(destination)).toEqual(['notes.txt']);
    const dismissed = JSON.parse(ferryCli(home, ['ledger', 'show', '--type', 'attention.dismissed', '--json'])) as {
      result: { entries: { event: { removed?: { dir: string; volumes: number } } }[] };
    };
    expect(dismissed.result.entries.map((e) => e.event.removed)).toEqual([{ dir: bundle, volumes: 3 }]);
  } finally {
    await host.stop();
  }
});

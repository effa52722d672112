import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { commandExists } from '../dist/main/testing/cli.js';
import { cosignSign, opensslKeyPair } from '../dist/main/testing/cosign-fixture.js';
import { startFaultProxy, type FaultProxy } from '../dist/main/testing/fault-proxy.js';
import { makeImageLayout, skopeoCopy, type ImageLayout } from '../dist/main/testing/oci-fixture.js';
import { makeOllamaStore } from '../dist/main/testing/ollama-fixture.js';
import { startRegistry, type TestRegistry } from '../dist/main/testing/registry-server.js';
import { startFerryHost, tempDir, type RunningHost } from './support/host.js';
import { chooseFolder, shot } from './support/page.js';

/**
 * Images across the gap, in Chromium through the browser host: site A resolves a 2-platform image
 * on a registry (plain HTTP) in the Images & charts tab and bundles it with an Ollama model; site B
 * pushes the bundle to the registry under a prefix, gets the Helm values and the model's ollama pull
 * command, and a second push is paused and resumed.
 */
test.describe.configure({ mode: 'serial' });

const MiB = 1024 * 1024;
const NEEDED = ['docker-registry', 'skopeo'];
const MODEL = 'granite4.1:8b';

let work: string;
let registry: TestRegistry | undefined;
let layout: ImageLayout;
let source: string;
let bundleDir: string;
let siteA: RunningHost | undefined;
let siteB: RunningHost | undefined;
let siteEnvB: NodeJS.ProcessEnv = {};

const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** The manifest bytes exactly as the registry serves them, read by skopeo, not by Ferry. */
function inspectRaw(ref: string): Buffer {
  return execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
}

/** Import wizard up to the Targets step with a bundle site B already trusts. */
async function openTargets(page: Page): Promise<void> {
  await siteB!.open(page);
  await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
  await chooseFolder(page, 'Bundle folder', bundleDir);
  await expect(page.getByText(/^Signed by a trusted key/)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Targets' })).toBeVisible();
}

test.beforeAll(async () => {
  const missing: string[] = [];
  for (const name of NEEDED) if (!(await commandExists(name))) missing.push(name);
  if (missing.length > 0) {
    const reason = `${missing.join(' and ')} not installed: the registry e2e needs a real registry and skopeo (apt-get install docker-registry skopeo)`;
    console.log(`[registry.spec] skipped: ${reason}`);
    test.skip(true, reason);
    return;
  }
  work = await tempDir('registry');
  registry = await startRegistry();
  layout = await makeImageLayout(path.join(work, 'layout'), {
    tag: '1.0',
    platforms: [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    // Big enough that a throttled push takes several chunks, so it can be paused part-way.
    layerSizes: [2 * MiB + 17, 20 * MiB + 5],
    seed: 'registry-e2e',
  });
  source = `${registry.host}/library/demo:1.0`;
  await skopeoCopy(`oci:${layout.dir}:1.0`, `docker://${source}`, { all: true });
  // The publisher signed the index with cosign (laid out as cosign does, signed with openssl).
  const publisher = await opensslKeyPair(work, 'publisher');
  await cosignSign(work, registry.url, registry.host, 'library/demo', layout.indexDigest, publisher.key);

  const dockerConfig = path.join(work, 'docker-config');
  await fs.mkdir(dockerConfig);
  for (const dir of ['store-a', 'store-b', 'usb']) await fs.mkdir(path.join(work, dir));
  await makeOllamaStore(path.join(work, 'store-a'), [{ name: MODEL, modelBytes: 256 * 1024 }]);
  bundleDir = path.join(work, 'usb', 'images-e2e');
  siteA = await startFerryHost({ home: path.join(work, 'home-a'), env: { OLLAMA_MODELS: path.join(work, 'store-a'), DOCKER_CONFIG: dockerConfig } });
  siteEnvB = { OLLAMA_MODELS: path.join(work, 'store-b'), DOCKER_CONFIG: dockerConfig };
  siteB = await startFerryHost({ home: path.join(work, 'home-b'), env: siteEnvB });
});

test.afterAll(async () => {
  await siteA?.stop();
  await siteB?.stop();
  await registry?.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

test('export on site A: the Images & charts tab resolves a 2-platform image to its index digest, and the bundle carries it', async ({ page }, testInfo) => {
  await siteA!.open(page);
  await page.getByRole('button', { name: 'Export (connected side)' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'What to carry' })).toBeVisible();
  await page.getByRole('checkbox', { name: `Select ${MODEL}` }).check();
  await page.getByRole('tab', { name: 'Images & charts' }).click();

  // The CA file is chosen on the host and travels as a path: Ferry reads it, and says when it holds no certificate.
  const pki = path.join(work, 'pki');
  await fs.mkdir(pki, { recursive: true });
  await fs.writeFile(path.join(pki, 'notes.txt'), 'not a certificate\n');
  await page.getByRole('button', { name: 'Choose CA certificate…' }).click();
  const caDialog = page.getByRole('dialog', { name: "Choose the registry's CA certificate" });
  await caDialog.getByRole('textbox', { name: 'Folder path' }).fill(pki);
  await caDialog.getByRole('button', { name: 'Go' }).click();
  await expect(caDialog.getByRole('button', { name: 'Add this folder' })).toHaveCount(0);
  await caDialog.getByRole('checkbox', { name: 'notes.txt' }).check();
  await caDialog.getByRole('button', { name: 'Choose this file' }).click();
  await expect(page.getByText('CA certificate: notes.txt')).toBeVisible();

  const missing = `${registry!.host}/library/demo:no-such-tag`;
  await page.getByRole('textbox', { name: 'Image references' }).fill(`${source}\n${missing}`);
  await page.getByRole('button', { name: 'Resolve', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'notes.txt holds no PEM certificate' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove CA certificate' }).click();
  await expect(page.getByText('CA certificate: notes.txt')).toHaveCount(0);

  await page.getByRole('checkbox', { name: 'Plain HTTP' }).check();
  await page.getByRole('button', { name: 'Resolve', exact: true }).click();

  const table = page.getByRole('table', { name: 'Images and charts' });
  const bad = table.locator(`tr[data-reference="${missing}"]`);
  await expect(bad.getByRole('alert')).toContainText(`Cannot resolve ${missing}`);
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expect(page.getByText('Some references did not resolve: fix or remove them.')).toBeVisible();
  await shot(page, testInfo, '20-export-images-unresolved', table);

  await page.getByRole('textbox', { name: 'Image references' }).fill(source);
  await expect(page.getByText('The images and charts changed: resolve them again.')).toBeVisible();
  await page.getByRole('button', { name: 'Resolve', exact: true }).click();
  const row = table.locator(`tr[data-reference="${source}"]`);
  await expect(row.locator('[data-digest]')).toHaveAttribute('data-digest', layout.indexDigest);
  await expect(row).toContainText('linux/amd64');
  await expect(row).toContainText('linux/arm64');
  await expect(row).toContainText('none found — anonymous');
  await expect(row).toContainText('1 signature carried');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('status').filter({ hasText: '1 image resolved' })).toBeVisible();
  await shot(page, testInfo, '21-export-images-resolved', table);
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Media' })).toBeVisible();
  await chooseFolder(page, 'Destination folder', path.join(work, 'usb'));
  await page.getByRole('textbox', { name: 'Bundle name' }).fill('images-e2e');
  await expect(page.getByText('Free at destination')).toBeVisible();
  await page.getByRole('button', { name: 'Build bundle' }).click();

  // Reading the media back is its own test (custody.spec.ts); here the medium is recorded later.
  await expect(page.getByRole('heading', { level: 2, name: 'Verify media' })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Skip (record later)' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });
  const contents = page.getByRole('table', { name: 'Bundle contents' });
  await expect(contents).toContainText(source);
  await expect(contents).toContainText('Container image');
  await expect(contents.locator(`[data-digest="${layout.indexDigest}"]`)).toBeVisible();
  await shot(page, testInfo, '22-export-images-done', contents);
});

test('import on site B into a registry: test the connection, push, get the values snippet; skopeo reads the same index bytes', async ({ page }, testInfo) => {
  const target = `${registry!.host}/airgap`;
  await siteB!.open(page);
  await page.getByRole('button', { name: 'Import (disconnected side)' }).click();
  await chooseFolder(page, 'Bundle folder', bundleDir);
  await expect(page.getByText('Signed by a key this site does not trust yet')).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Trust this key…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Trust a public key' });
  await dialog.getByRole('textbox', { name: 'Public key (PEM)' }).fill(await fs.readFile(path.join(siteA!.home, 'keys', 'site.pub.pem'), 'utf8'));
  await expect(dialog.getByText("This key's fingerprint matches the bundle's signer.")).toBeVisible();
  await dialog.getByRole('checkbox', { name: 'I compared this fingerprint with the one the exporting site gave me' }).check();
  await dialog.getByRole('button', { name: 'Trust key' }).click();
  await expect(page.getByText(/^Signed by a trusted key/)).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Next' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Targets' })).toBeVisible();
  // The model goes to the registry with the image, not into a store.
  await page.getByRole('checkbox', { name: 'Install Ollama models into a store' }).uncheck();
  await expect(page.getByRole('checkbox', { name: 'Push to a registry' })).toBeChecked();
  await page.getByRole('textbox', { name: 'Registry and prefix' }).fill(target);
  await page.getByRole('checkbox', { name: 'Plain HTTP' }).check();
  await page.getByRole('button', { name: 'Test connection' }).click();
  const ok = page.getByRole('alert').filter({ hasText: 'Connection OK' });
  await expect(ok).toContainText('anonymous access');
  await expect(page.getByRole('table', { name: 'Destinations' })).toContainText(`${target}/library/demo:1.0`);
  await expect(page.getByRole('table', { name: 'Destinations' })).toContainText(`${target}/${MODEL}`);
  await shot(page, testInfo, '23-import-targets-registry', ok);
  await page.getByRole('button', { name: 'Start import' }).click();

  await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });
  const imported = page.getByRole('table', { name: 'Imported artifacts' });
  await expect(imported).toContainText(`${target}/library/demo:1.0`);
  await expect(imported.locator(`[data-digest="${layout.indexDigest}"]`)).toBeVisible();
  const snippet = page.getByRole('region', { name: 'Helm values' }).locator('pre');
  await expect(snippet).toContainText(`repository: "${target}/library/demo"`);
  await expect(snippet).toContainText(`tag: "1.0"`);
  await expect(snippet).toContainText(`digest: "${layout.indexDigest}"`);
  await expect(page.getByRole('button', { name: 'Copy values snippet' })).toBeVisible();
  const pull = `ollama pull --insecure ${target}/${MODEL}`;
  const pulls = page.getByRole('list', { name: 'Ollama pull commands' });
  await expect(pulls.locator(`[data-digest="${pull}"]`)).toBeVisible();
  await expect(pulls.getByRole('button', { name: `Copy Ollama pull command for registry.ollama.ai/library/${MODEL}` })).toBeVisible();
  await expect(snippet).toContainText(`#   ${pull}`);
  await shot(page, testInfo, '24-import-registry-done', imported);

  // The publisher's signature crossed beside the image, and each artifact carries this site's transfer attestation.
  await expect(imported.getByRole('row').filter({ hasText: `${target}/library/demo:sha256-${layout.indexDigest.slice(7)}.sig` })).toContainText(
    `Signature of ${layout.indexDigest.slice(0, 19)}…`,
  );
  const attestations = page.getByRole('list', { name: 'Transfer attestations' });
  const demo = attestations.getByRole('listitem').filter({ hasText: `${target}/library/demo:1.0` });
  await expect(demo).toContainText("Attested in cosign's attestation tag; 1 signed item the publisher attached");
  await expect(demo.getByRole('button', { name: 'Copy transfer attestation of' })).toBeVisible();
  await expect(attestations.getByRole('listitem')).toHaveCount(2);
  await shot(page, testInfo, '24b-import-transfer-attestations', page.getByRole('region', { name: 'Provenance in the registry' }));

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save values-airgap.yaml' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe('values-airgap.yaml');
  expect((await fs.readFile(await saved.path(), 'utf8')).trimEnd()).toBe((await snippet.innerText()).trimEnd());

  const raw = inspectRaw(`${target}/library/demo:1.0`);
  expect(sha256(raw)).toBe(layout.indexDigest);
  expect(raw.equals(await fs.readFile(path.join(layout.dir, 'blobs', 'sha256', layout.indexDigest.slice(7))))).toBe(true);
});

test('a push paused part-way is listed on Home and, resumed, finishes with the same digest', async ({ page }, testInfo) => {
  let proxy: FaultProxy | undefined;
  try {
    proxy = await startFaultProxy({ host: '127.0.0.1', port: registry!.port });
    proxy.throttle(2 * MiB);
    const target = `${proxy.host}/paused`;
    await openTargets(page);
    await page.getByRole('textbox', { name: 'Registry and prefix' }).fill(target);
    await page.getByRole('checkbox', { name: 'Plain HTTP' }).check();
    await page.getByRole('button', { name: 'Start import' }).click();

    await expect(page.getByRole('heading', { level: 2, name: 'Run' })).toBeVisible();
    await expect(page.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute('aria-valuenow', /^[1-9]/, { timeout: 30_000 });
    await expect(page.getByRole('progressbar', { name: /^Upload of sha256:/ }).first()).toBeVisible({ timeout: 30_000 });
    await shot(page, testInfo, '25-import-push-running');
    await page.getByRole('button', { name: 'Pause import' }).click();
    const paused = page.getByRole('alert').filter({ hasText: 'The import is paused' });
    await expect(paused).toBeVisible({ timeout: 30_000 });
    await expect(paused).toContainText('goes on from the offset the registry confirmed');
    await expect(paused.getByRole('button', { name: 'Resume' })).toBeVisible();
    await shot(page, testInfo, '26-import-push-paused');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    const attention = page.getByRole('list', { name: 'Unfinished jobs' });
    await expect(attention).toContainText(target);
    await expect(attention).toContainText('Paused');
    await shot(page, testInfo, '27-home-paused');

    proxy.throttle(null);
    await attention.getByRole('button', { name: /^Resume Import of / }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('region', { name: 'Helm values' }).locator('pre')).toContainText(`repository: "${target}/library/demo"`);

    expect(sha256(inspectRaw(`${registry!.host}/paused/library/demo:1.0`))).toBe(layout.indexDigest);
  } finally {
    await proxy?.stop();
  }
});

test('a push paused, then the host killed and restarted: the open tab reconnects, Resume on Home asks for the password once, and the push finishes', async ({
  page,
}, testInfo) => {
  const locked = await startRegistry({ auth: 'htpasswd' });
  let proxy: FaultProxy | undefined;
  try {
    proxy = await startFaultProxy({ host: '127.0.0.1', port: locked.port });
    proxy.throttle(2 * MiB);
    const target = `${proxy.host}/restarted`;
    await openTargets(page);
    await page.getByRole('textbox', { name: 'Registry and prefix' }).fill(target);
    await page.getByRole('checkbox', { name: 'Plain HTTP' }).check();
    await page.getByRole('textbox', { name: 'Username' }).fill('ferry');
    await page.getByLabel('Password', { exact: true }).fill('s3cret-pass');
    await page.getByRole('button', { name: 'Start import' }).click();
    await expect(page.getByRole('progressbar', { name: /^Upload of sha256:/ }).first()).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Pause import' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The import is paused' })).toBeVisible({ timeout: 30_000 });

    // The host dies and comes back on the same port: this tab reconnects by itself, no new URL.
    await siteB!.crash();
    await expect(page.getByText('Lost connection to the Ferry host')).toBeVisible();
    siteB = await startFerryHost({ home: siteB!.home, env: siteEnvB });
    await expect(page.getByText('Lost connection to the Ferry host')).toBeHidden({ timeout: 30_000 });
    proxy.throttle(null);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    const attention = page.getByRole('list', { name: 'Unfinished jobs' });
    await expect(attention).toContainText(target, { timeout: 30_000 });
    await attention.getByRole('button', { name: /^Resume Import of / }).click();

    const dialog = page.getByRole('dialog', { name: /^Sign in to .* to resume$/ });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('textbox', { name: 'Username' }).fill('ferry');
    await dialog.getByLabel('Password').fill('s3cret-pass');
    await expect(dialog.getByRole('button', { name: 'Resume' })).toBeEnabled();
    await shot(page, testInfo, '28-resume-password');
    await dialog.getByRole('button', { name: 'Resume' }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Done' })).toBeVisible({ timeout: 60_000 });
    for (const entry of await fs.readdir(siteB!.home, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const text = (await fs.readFile(path.join(entry.parentPath, entry.name))).toString('latin1');
      expect(text.includes('s3cret-pass'), `${entry.name} holds the password`).toBe(false);
    }
  } finally {
    await proxy?.stop();
    await locked.stop();
  }
});

test('a reload on Targets comes back to Targets with the choices kept, the password not kept', async ({ page }) => {
  await openTargets(page);
  await page.getByRole('textbox', { name: 'Registry and prefix' }).fill('registry.lan/airgap');
  await page.getByRole('textbox', { name: 'Username' }).fill('ferry');
  await page.getByLabel('Password', { exact: true }).fill('typed-secret');
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'Targets' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('textbox', { name: 'Registry and prefix' })).toHaveValue('registry.lan/airgap');
  await expect(page.getByRole('textbox', { name: 'Username' })).toHaveValue('ferry');
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  const kept = await page.evaluate(() => JSON.stringify(sessionStorage));
  expect(kept).not.toContain('typed-secret');
});

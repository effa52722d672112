import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { missingTools, ferry, run, tempDir } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { makeHelmChartLayout, makeImageLayout, skopeoCopy, skopeoInspectRaw, type HelmChartLayout, type ImageLayout } from '../testing/oci-fixture.js';
import { startFaultProxy, type FaultProxy } from '../testing/fault-proxy.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface BundleJson {
  artifacts: { kind: string; ref: string; digest: string; mediaType: string; platforms?: string[]; sourceDigest?: string }[];
  blobs: { digest: string; size: number; offset: number }[];
}

async function readBundle(dir: string): Promise<BundleJson> {
  return JSON.parse(await fs.readFile(path.join(dir, 'BUNDLE.json'), 'utf8')) as BundleJson;
}

/** Every blob file of an OCI layout folder, by digest. */
async function layoutBlobs(dir: string): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  for (const name of await fs.readdir(path.join(dir, 'blobs', 'sha256')))
    blobs.set(`sha256:${name}`, await fs.readFile(path.join(dir, 'blobs', 'sha256', name)));
  return blobs;
}

describe('images, charts and models through a real registry (docker-registry 2.8, checked with skopeo)', async () => {
  const skip = await missingTools(['docker-registry', 'skopeo']);
  let work: string;
  let source: TestRegistry;
  let target: TestRegistry;
  let image: ImageLayout;
  let chart: HelmChartLayout;
  let homeA: string;
  let homeB: string;
  let pubA: string;
  let bundle: string;
  const modelName = 'granite4.1:8b';

  before(async () => {
    if (skip) return;
    work = await tempDir('registry');
    [source, target] = await Promise.all([startRegistry(), startRegistry()]);
    image = await makeImageLayout(path.join(work, 'image'), {
      tag: '1.0',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
        { os: 'linux', architecture: 's390x' },
      ],
      layerSizes: [300_000, 3 * 1024 * 1024 + 17],
    });
    chart = await makeHelmChartLayout(path.join(work, 'chart'), { tag: '1.2.0', name: 'app', version: '1.2.0' });
    await skopeoCopy(`oci:${image.dir}:1.0`, `docker://${source.host}/library/demo:1.0`, { all: true });
    await skopeoCopy(`oci:${chart.dir}:1.2.0`, `docker://${source.host}/charts/app:1.2.0`);
    const store = path.join(work, 'store');
    await makeOllamaStore(store, [{ name: modelName, modelBytes: 2 * 1024 * 1024 + 5 }]);
    homeA = path.join(work, 'home-a');
    homeB = path.join(work, 'home-b');
    pubA = path.join(work, 'a.pub.pem');
    bundle = path.join(work, 'usb', 'mixed');
    const exported = await ferry(homeA, [
      'export',
      '--out',
      bundle,
      '--volume-size',
      '2MiB',
      '--plain-http',
      '--ollama-store',
      store,
      '--ollama',
      modelName,
      '--image',
      `${source.host}/library/demo:1.0`,
      '--chart',
      `oci://${source.host}/charts/app:1.2.0`,
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal((await ferry(homeA, ['keys', 'export-public', pubA])).code, 0);
  });
  after(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('export carries what skopeo pushed, byte-exact: the index, every manifest and blob', { skip }, async () => {
    const index = await readBundle(bundle);
    const demo = index.artifacts.find((a) => a.kind === 'image')!;
    assert.equal(demo.ref, `${source.host}/library/demo:1.0`);
    assert.equal(demo.digest, image.indexDigest, 'all platforms keep the original index digest');
    assert.deepEqual(demo.platforms, ['linux/amd64', 'linux/arm64/v8', 'linux/s390x']);
    const helm = index.artifacts.find((a) => a.kind === 'helm-chart')!;
    assert.equal(helm.digest, chart.manifestDigest);
    assert.equal(helm.ref, `${source.host}/charts/app:1.2.0`);
    // Unpack the joined volumes with GNU tar and compare every fixture blob with what the bundle holds.
    const joined = path.join(work, 'joined.tar');
    const volumes = (await fs.readdir(bundle)).filter((f) => /\.tar\.\d+$/.test(f)).sort();
    await fs.writeFile(joined, Buffer.concat(await Promise.all(volumes.map((v) => fs.readFile(path.join(bundle, v))))));
    const unpacked = path.join(work, 'unpacked');
    await fs.mkdir(unpacked);
    const tar = await run('tar', ['-xf', joined, '-C', unpacked]);
    assert.equal(tar.code, 0, tar.stderr);
    const carried = await layoutBlobs(unpacked);
    for (const [digest, bytes] of await layoutBlobs(image.dir)) assert.deepEqual(carried.get(digest), bytes, `blob ${digest} carried byte-exact`);
    for (const [digest, bytes] of await layoutBlobs(chart.dir)) assert.deepEqual(carried.get(digest), bytes, `chart blob ${digest} carried byte-exact`);
    await fs.rm(joined);
  });

  test('one platform keeps that manifest; several make a new index; a missing one is named', { skip }, async () => {
    const ref = `${source.host}/library/demo:1.0`;
    const one = path.join(work, 'usb', 'one');
    let result = await ferry(homeA, ['export', '--out', one, '--plain-http', '--image', ref, '--platform', 'linux/arm64']);
    assert.equal(result.code, 0, result.stderr);
    const arm = image.manifests.find((m) => m.platform.architecture === 'arm64')!;
    let artifact = (await readBundle(one)).artifacts[0]!;
    assert.equal(artifact.digest, arm.digest);
    assert.equal(artifact.sourceDigest, image.indexDigest);

    const two = path.join(work, 'usb', 'two');
    result = await ferry(homeA, ['export', '--out', two, '--plain-http', '--image', ref, '--platform', 'linux/amd64', '--platform', 'linux/s390x']);
    assert.equal(result.code, 0, result.stderr);
    artifact = (await readBundle(two)).artifacts[0]!;
    assert.notEqual(artifact.digest, image.indexDigest);
    assert.deepEqual(artifact.platforms, ['linux/amd64', 'linux/s390x']);
    assert.match(result.stdout, new RegExp(artifact.digest), 'the new index digest is shown');

    result = await ferry(homeA, ['export', '--out', path.join(work, 'usb', 'none'), '--plain-http', '--image', ref, '--platform', 'windows/amd64']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /has no windows\/amd64 image\. It has: linux\/amd64, linux\/arm64\/v8, linux\/s390x/);
    await assert.rejects(fs.stat(path.join(work, 'usb', 'none')), 'no bundle folder is left behind');

    result = await ferry(homeA, ['export', '--out', path.join(work, 'usb', 'nope'), '--plain-http', '--image', `${source.host}/library/demo:9.9`]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`${source.host}/library/demo:9\\.9 does not exist on the registry`));
  });

  test('import pushes every kind relocated under the prefix, digests unchanged, with the values snippet', { skip }, async () => {
    const values = path.join(work, 'values-airgap.yaml');
    const result = await ferry(homeB, [
      'import',
      bundle,
      '--trust',
      pubA,
      '--to-registry',
      `${target.host}/airgap`,
      '--plain-http',
      '--values-out',
      values,
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const pushed = (JSON.parse(result.stdout) as { result: { artifacts: { kind: string; destination: string; digest: string; target: string }[] } }).result
      .artifacts;
    assert.deepEqual(pushed.map((a) => [a.kind, a.destination]).sort(), [
      ['helm-chart', `${target.host}/airgap/charts/app:1.2.0`],
      ['image', `${target.host}/airgap/library/demo:1.0`],
      ['ollama-model', `${target.host}/airgap/granite4.1:8b`],
    ]);
    // skopeo, not Ferry, reads back what landed.
    const demoRaw = await skopeoInspectRaw(`docker://${target.host}/airgap/library/demo:1.0`);
    assert.equal(sha256(demoRaw), image.indexDigest);
    assert.equal(sha256(await skopeoInspectRaw(`docker://${target.host}/airgap/charts/app:1.2.0`)), chart.manifestDigest);
    const modelDigest = (await readBundle(bundle)).artifacts.find((a) => a.kind === 'ollama-model')!.digest;
    assert.equal(sha256(await skopeoInspectRaw(`docker://${target.host}/airgap/granite4.1:8b`)), modelDigest);
    const copied = path.join(work, 'copied');
    await skopeoCopy(`docker://${target.host}/airgap/library/demo:1.0`, `oci:${copied}:1.0`, { all: true });
    const back = await layoutBlobs(copied);
    for (const [digest, bytes] of await layoutBlobs(image.dir)) assert.deepEqual(back.get(digest), bytes, `skopeo pulls ${digest} byte-exact`);

    const snippet = await fs.readFile(values, 'utf8');
    assert.match(snippet, new RegExp(`repository: "${target.host}/airgap/library/demo"\\n {4}tag: "1\\.0"\\n {4}digest: "${image.indexDigest}"`));
    assert.match(snippet, /helm-chart: oci:\/\//);

    const ledger = await ferry(homeB, ['ledger', 'show', '--json']);
    assert.match(ledger.stdout, /import\.completed/);
    assert.match(ledger.stdout, new RegExp(`${target.host}/airgap/library/demo:1\\.0`));
  });

  test('importing again uploads nothing; a mapping file overrides the prefix', { skip }, async () => {
    let result = await ferry(homeB, ['import', bundle, '--trust', pubA, '--to-registry', `${target.host}/airgap`, '--plain-http', '--json']);
    assert.equal(result.code, 0, result.stderr);
    for (const a of (JSON.parse(result.stdout) as { result: { artifacts: { blobsWritten: number; ref: string }[] } }).result.artifacts)
      assert.equal(a.blobsWritten, 0, `${a.ref} was already there`);

    const map = path.join(work, 'map.txt');
    await fs.writeFile(map, `${source.host}/library/demo ${target.host}/mirrored/demo\n`);
    result = await ferry(homeB, ['import', bundle, '--trust', pubA, '--to-registry', `${target.host}/other`, '--map', map, '--plain-http', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const destinations = (JSON.parse(result.stdout) as { result: { artifacts: { destination: string; blobsWritten: number; kind: string }[] } }).result
      .artifacts;
    assert.ok(destinations.some((a) => a.destination === `${target.host}/mirrored/demo:1.0`));
    assert.ok(destinations.some((a) => a.destination === `${target.host}/other/charts/app:1.2.0`));
    assert.equal(sha256(await skopeoInspectRaw(`docker://${target.host}/mirrored/demo:1.0`)), image.indexDigest);
  });

  test('registry flags without a registry target, and bad targets, are usage errors', async () => {
    const home = await tempDir('usage');
    let result = await ferry(home, ['import', '/nonexistent', '--values-out', 'x.yaml', '--to-ollama-store', '/tmp/x']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--values-out applies to a registry push: add --to-registry/);
    result = await ferry(home, ['import', '/nonexistent', '--to-registry', 'Bad Host/x']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /"Bad Host\/x" is not a registry/);
    result = await ferry(home, [
      'export',
      '--out',
      path.join(home, 'b'),
      '--image',
      'ghcr.io/a/b:1',
      '--image',
      'quay.io/c/d:2',
      '--username',
      'me',
      '--password-stdin',
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--username applies to one registry, and this run uses ghcr\.io, quay\.io/);
    await fs.rm(home, { recursive: true, force: true });
  });
});

describe('blobs shared across repositories are mounted; oversized manifests are named', async () => {
  const skip = await missingTools(['docker-registry', 'skopeo']);
  let work: string;
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let pub: string;
  let home: string;

  before(async () => {
    if (skip) return;
    work = await tempDir('mount');
    registry = await startRegistry();
    proxy = await startFaultProxy({ host: '127.0.0.1', port: registry.port });
    home = path.join(work, 'home');
    pub = path.join(work, 'pub.pem');
    assert.equal((await ferry(home, ['keys', 'export-public', pub])).code, 0);
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('a layer this run pushed to one repository is mounted into the next, not sent again', { skip }, async () => {
    const store = path.join(work, 'store');
    await makeOllamaStore(store, [
      { name: 'granite4.1:8b', modelBytes: 3 * 1024 * 1024 },
      { name: 'acme/tiny:1', sharedWith: 'granite4.1:8b' },
    ]);
    const bundle = path.join(work, 'shared');
    assert.equal((await ferry(home, ['export', '--out', bundle, '--ollama-store', store, '--ollama', 'granite4.1:8b', '--ollama', 'acme/tiny:1'])).code, 0);
    proxy.resetStats();
    const result = await ferry(home, ['import', bundle, '--trust', pub, '--to-registry', `${proxy.host}/air`, '--plain-http']);
    assert.equal(result.code, 0, result.stderr);
    const mounts = proxy.stats.requests.filter((r) => r.method === 'POST' && /[?&]mount=sha256(:|%3A)/.test(r.path));
    assert.ok(
      mounts.some((r) => r.status === 201),
      `a blob was mounted from the other repository: ${JSON.stringify(proxy.stats.requests.filter((r) => r.method === 'POST'))}`,
    );
    assert.ok(proxy.stats.patchBytes + 64 * 1024 < 2 * 3 * 1024 * 1024, 'the 3 MiB model layer crossed the wire once');
  });

  test('a manifest over 4 MiB is refused by the registry and the error names the limit', { skip }, async () => {
    const store = path.join(work, 'store-huge');
    const [model] = (await makeOllamaStore(store, [{ name: 'huge:1' }])).models;
    const manifest = JSON.parse(await fs.readFile(model!.manifestPath, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(model!.manifestPath, JSON.stringify({ ...manifest, annotations: { padding: 'x'.repeat(4 * 1024 * 1024 + 10) } }));
    const bundle = path.join(work, 'huge');
    const exported = await ferry(home, ['export', '--out', bundle, '--ollama-store', store, '--ollama', 'huge:1']);
    assert.equal(exported.code, 0, exported.stderr);
    const result = await ferry(home, ['import', bundle, '--trust', pub, '--to-registry', `${registry.host}/air`, '--plain-http']);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /Manifest sha256:[0-9a-f]{64} of air\/huge is \d+ bytes; 127\.0\.0\.1:\d+ refused it \(HTTP 400\), as registries commonly refuse manifests over 4 MiB/,
    );
  });
});

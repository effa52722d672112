import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertRan, ferry, jsonOf, missingTools, tempDir } from '../testing/cli.js';
import { makeHfCache } from '../testing/hf-fixture.js';
import { makeImageLayout, skopeoCopy } from '../testing/oci-fixture.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';
import { labelledLicence, licenceFromText, modelCardLicences } from '../content/licences.js';

test('a licence is named by its first line with words, tidied to one table cell', () => {
  assert.equal(
    licenceFromText('\n\n  LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\nLlama 3.2 Version Release Date: September 25, 2024\n'),
    'LLAMA 3.2 COMMUNITY LICENSE AGREEMENT',
  );
  assert.equal(licenceFromText('# Apache License\n   Version 2.0'), 'Apache License');
  assert.equal(licenceFromText('\n  \n'), undefined);
  assert.equal(licenceFromText('x'.repeat(500))!.length, 120);
});

test("a model card's front matter: a scalar, a list, a flow list, and other with its name", () => {
  assert.deepEqual(modelCardLicences('---\nlanguage: en\nlicense: apache-2.0\n---\n# Model\n'), ['apache-2.0']);
  assert.deepEqual(modelCardLicences('---\nlicense:\n  - mit\n  - "cc-by-4.0"\ntags: [a]\n---\n'), ['mit', 'cc-by-4.0']);
  assert.deepEqual(modelCardLicences("---\nlicense: ['mit', openrail]\n---\n"), ['mit', 'openrail']);
  assert.deepEqual(modelCardLicences('---\nlicense: other\nlicense_name: gemma-terms\nlicense_link: https://ai.google.dev/gemma/terms\n---\n'), [
    'other: gemma-terms',
  ]);
  assert.equal(modelCardLicences('# No front matter\nlicense: mit\n'), undefined, 'only the front matter counts');
  assert.equal(modelCardLicences('---\nlanguage: en\n---\nlicense: mit\n'), undefined, 'nothing after the front matter counts');
});

test('an image label, a manifest annotation, a chart annotation', () => {
  const key = 'org.opencontainers.image.licenses';
  assert.equal(labelledLicence({ config: { Labels: { [key]: 'MIT OR Apache-2.0' } } }), 'MIT OR Apache-2.0');
  assert.equal(labelledLicence(null, { [key]: 'BSD-3-Clause' }), 'BSD-3-Clause');
  assert.equal(labelledLicence({ name: 'app', annotations: { 'artifacthub.io/license': 'Apache-2.0' } }), 'Apache-2.0');
  assert.equal(labelledLicence({ config: { Labels: { other: 'x' } } }), undefined);
});

describe('licences on the record: a model, a Hugging Face repo and an image exported together', async () => {
  const skip = await missingTools(['docker-registry', 'skopeo']);
  let work: string;
  let registry: TestRegistry;
  let home: string;
  let bundle: string;
  let bundleDigest: string;

  before(async () => {
    if (skip) return;
    work = await tempDir('licences');
    registry = await startRegistry();
    const image = await makeImageLayout(path.join(work, 'image'), {
      tag: '1.0',
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      layerSizes: [4096],
      labels: { 'org.opencontainers.image.licenses': 'MIT OR Apache-2.0' },
    });
    await skopeoCopy(`oci:${image.dir}:1.0`, `docker://${registry.host}/library/labelled:1.0`);
    const store = path.join(work, 'store');
    await makeOllamaStore(store, [
      { name: 'llama3.2:1b', modelBytes: 100_000, license: 'LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\nLlama 3.2 Version Release Date: September 25, 2024' },
      { name: 'plain:1', modelBytes: 50_000 },
    ]);
    const hf = await makeHfCache(path.join(work, 'hf'));
    home = path.join(work, 'home');
    bundle = path.join(work, 'usb', 'licensed');
    const exported = await ferry(home, [
      'export',
      '--out',
      bundle,
      '--plain-http',
      '--ollama-store',
      store,
      '--ollama',
      'llama3.2:1b',
      '--ollama',
      'plain:1',
      '--hf-cache',
      hf.cache,
      '--hf',
      'acme/tiny-embed',
      '--image',
      `${registry.host}/library/labelled:1.0`,
    ]);
    assertRan(exported, 'ferry export');
    bundleDigest = jsonOf(await ferry(home, ['ledger', 'bundles', '--json'])).result.bundles[0].bundle;
  });
  after(async () => {
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('the ledger and its report name each licence, and "none stated" is an empty list', { skip }, async () => {
    const bundleJson = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8')) as {
      artifacts: Record<string, unknown>[];
      ledger: { lines: string[] };
    };
    const report = jsonOf(await ferry(home, ['ledger', 'report', bundleDigest, '--json'])).result as { artifacts: { ref: string; licences?: string[] }[] };
    const licencesOf = (ref: string) => report.artifacts.find((a) => a.ref.includes(ref))?.licences;
    assert.deepEqual(licencesOf('llama3.2:1b'), ['LLAMA 3.2 COMMUNITY LICENSE AGREEMENT']);
    assert.deepEqual(licencesOf('plain:1'), []);
    assert.deepEqual(licencesOf('tiny-embed'), ['apache-2.0']);
    assert.deepEqual(licencesOf('labelled:1.0'), ['MIT OR Apache-2.0']);

    // The receiving site reads them from the exporter's request line the bundle carries.
    const carried = bundleJson.ledger.lines.map((l) => JSON.parse(l.split('\t')[2]!) as { type: string; artifacts?: { ref: string; licences?: string[] }[] });
    const request = carried.find((e) => e.type === 'export.requested')!;
    assert.deepEqual(request.artifacts!.find((a) => a.ref.includes('labelled'))!.licences, ['MIT OR Apache-2.0']);
    // BUNDLE.json (format v1) is unchanged: licences live in the ledger, not in the artifact entries.
    for (const a of bundleJson.artifacts) assert.equal('licences' in a, false);

    const text = (await ferry(home, ['ledger', 'report', bundleDigest])).stdout;
    assert.match(text, /llama3\.2:1b .* licence: LLAMA 3\.2 COMMUNITY LICENSE AGREEMENT/);
    assert.match(text, /plain:1 .* licence: None stated/);
  });
});

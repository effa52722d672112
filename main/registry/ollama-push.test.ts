import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ferry, missingTools, tempDir } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';
import { DOCKER_MANIFEST } from './manifest.js';

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

interface Pushed {
  kind: string;
  ref: string;
  destination: string;
  digest: string;
  pull?: string;
}

/** The manifest at /v2/<name>/manifests/<tag>, as Ollama asks for it: its bytes and the digest the registry gives. */
async function manifestAt(registry: TestRegistry, name: string, tag: string): Promise<{ status: number; digest?: string; bytes: Buffer }> {
  const res = await fetch(`${registry.url}/v2/${name}/manifests/${tag}`, { headers: { accept: DOCKER_MANIFEST } });
  return { status: res.status, digest: res.headers.get('docker-content-digest') ?? undefined, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('Ollama models land where ollama pull can name them: host/namespace/model:tag', async () => {
  const skip = await missingTools(['docker-registry']);
  let work: string;
  let registry: TestRegistry;
  let home: string;
  let pub: string;
  let mixed: string;
  let clash: string;
  const digests = new Map<string, string>();

  before(async () => {
    if (skip) return;
    work = await tempDir('ollama-push');
    registry = await startRegistry();
    const store = path.join(work, 'store');
    const { models } = await makeOllamaStore(store, [
      { name: 'granite4.1:8b' },
      { name: 'hf.co/Org/Model-GGUF:Q4_K_M' },
      { name: 'acme/granite4.1:8b', modelBytes: 70_000 },
    ]);
    for (const m of models) digests.set(m.name, m.manifestDigest);
    home = path.join(work, 'home');
    pub = path.join(work, 'pub.pem');
    assert.equal((await ferry(home, ['keys', 'export-public', pub])).code, 0);
    mixed = path.join(work, 'mixed');
    clash = path.join(work, 'clash');
    let result = await ferry(home, ['export', '--out', mixed, '--ollama-store', store, '--ollama', 'granite4.1:8b', '--ollama', 'hf.co/Org/Model-GGUF:Q4_K_M']);
    assert.equal(result.code, 0, result.stderr);
    result = await ferry(home, ['export', '--out', clash, '--ollama-store', store, '--ollama', 'granite4.1:8b', '--ollama', 'acme/granite4.1:8b']);
    assert.equal(result.code, 0, result.stderr);
  });
  after(async () => {
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('under HOST/PREFIX: the prefix names the namespace, hf.co names are lowercased, and each result says how to pull it', { skip }, async () => {
    const values = path.join(work, 'values.yaml');
    const result = await ferry(home, [
      'import',
      mixed,
      '--trust',
      pub,
      '--to-registry',
      `${registry.host}/air/gap`,
      '--plain-http',
      '--values-out',
      values,
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const pushed = (JSON.parse(result.stdout) as { result: { artifacts: Pushed[] } }).result.artifacts;
    assert.deepEqual(pushed.map((a) => [a.ref, a.destination, a.pull]).sort(), [
      ['hf.co/Org/Model-GGUF:Q4_K_M', `${registry.host}/gap/model-gguf:Q4_K_M`, `ollama pull --insecure ${registry.host}/gap/model-gguf:Q4_K_M`],
      ['registry.ollama.ai/library/granite4.1:8b', `${registry.host}/gap/granite4.1:8b`, `ollama pull --insecure ${registry.host}/gap/granite4.1:8b`],
    ]);
    // Where Ollama looks: /v2/<namespace>/<model>/manifests/<tag>, the very manifest the store held.
    for (const [name, tag, model] of [
      ['gap/granite4.1', '8b', 'granite4.1:8b'],
      ['gap/model-gguf', 'Q4_K_M', 'hf.co/Org/Model-GGUF:Q4_K_M'],
    ] as const) {
      const got = await manifestAt(registry, name, tag);
      assert.equal(got.status, 200, `${name}:${tag} is there`);
      assert.equal(got.digest, digests.get(model));
      assert.equal(sha256(got.bytes), digests.get(model));
    }
    const snippet = await fs.readFile(values, 'utf8');
    assert.match(
      snippet,
      new RegExp(
        `^# {3}ollama pull --insecure ${registry.host}/gap/granite4\\.1:8b {3}\\(from registry\\.ollama\\.ai/library/granite4\\.1:8b, ${digests.get('granite4.1:8b')}\\)$`,
        'm',
      ),
    );

    const human = await ferry(home, ['import', mixed, '--trust', pub, '--to-registry', registry.host, '--plain-http']);
    assert.equal(human.code, 0, human.stderr);
    assert.match(
      human.stdout,
      new RegExp(`pull it with: ollama pull --insecure ${registry.host}/library/granite4\\.1:8b`),
      'under a bare host the source namespace stays',
    );
    assert.match(human.stdout, new RegExp(`pull it with: ollama pull --insecure ${registry.host}/org/model-gguf:Q4_K_M`));
  });

  test('two models landing on one repository:tag are refused before anything is pushed; --map settles it', { skip }, async () => {
    let result = await ferry(home, ['import', clash, '--trust', pub, '--to-registry', `${registry.host}/clash`, '--plain-http']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`would both land at ${registry.host}/clash/granite4\\.1:8b, with different digests\\. Give one of them another destination with --map FILE`),
    );
    assert.ok(
      result.stderr.includes('registry.ollama.ai/library/granite4.1:8b') && result.stderr.includes('registry.ollama.ai/acme/granite4.1:8b'),
      'the message names both models',
    );
    assert.equal((await manifestAt(registry, 'clash/granite4.1', '8b')).status, 404, 'nothing was pushed');
    const catalog = (await (await fetch(`${registry.url}/v2/_catalog`)).json()) as { repositories: string[] };
    assert.ok(!catalog.repositories.some((r) => r.startsWith('clash/')), `no repository under clash/: ${catalog.repositories.join(', ')}`);

    const map = path.join(work, 'map.txt');
    await fs.writeFile(map, `registry.ollama.ai/acme/granite4.1 ${registry.host}/acme/granite4.1\n`);
    result = await ferry(home, ['import', clash, '--trust', pub, '--to-registry', `${registry.host}/clash`, '--map', map, '--plain-http', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const pulls = (JSON.parse(result.stdout) as { result: { artifacts: Pushed[] } }).result.artifacts.map((a) => a.pull).sort();
    assert.deepEqual(pulls, [`ollama pull --insecure ${registry.host}/acme/granite4.1:8b`, `ollama pull --insecure ${registry.host}/clash/granite4.1:8b`]);
    assert.equal((await manifestAt(registry, 'acme/granite4.1', '8b')).digest, digests.get('acme/granite4.1:8b'));

    await fs.writeFile(map, `registry.ollama.ai/acme ${registry.host}/team/models\n`);
    result = await ferry(home, ['import', clash, '--trust', pub, '--to-registry', `${registry.host}/clash`, '--map', map, '--plain-http']);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      new RegExp(
        `would land at ${registry.host}/team/models/granite4\\.1:8b, which Ollama cannot pull: it has 3 parts after the host.*Change line 1 of ${map.replace(/[.]/g, '\\.')}`,
      ),
    );
  });
});

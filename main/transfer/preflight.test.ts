/**
 * Nothing is written until everything is checked: each case makes a bundle that verifies or a
 * target that lies, runs the real `ferry` as a user would, and compares every target folder before
 * and after. The lie is always in the last artifact, so a refusal that came late would show as a
 * written first artifact.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { filesArtifact } from '../files/artifact.js';
import { hfArtifact } from '../hf/artifact.js';
import { resolveHfRevision } from '../hf/cache.js';
import type { SiteKey } from '../keys/keys.js';
import type { ArtifactInput } from '../bundle/plan.js';
import { ferry, run, tempDir } from '../testing/cli.js';
import { craftBundle, ollamaParts, testSiteKey } from '../testing/crafted-bundle.js';
import { startRegistry } from '../testing/registry-server.js';
import { fixtureCommit, gitBlobSha1, pseudoRandomBytes, repoDirOf, writeHfRevision } from '../testing/hf-fixture.js';
import { treeSnapshot } from '../testing/tree.js';

const VOLUME_SIZE = 64 * 1024;
const text = (s: string) => Buffer.from(s);

describe('ferry import checks every target before it writes to any', () => {
  let work: string;
  let home: string;
  let key: SiteKey;
  let pub: string;
  let model: ArtifactInput[];
  let n = 0;

  before(async () => {
    work = await tempDir('preflight');
    home = path.join(work, 'home');
    key = testSiteKey();
    pub = path.join(work, 'site.pub.pem');
    await fs.writeFile(pub, key.publicKeyPem);
    model = await ollamaParts(path.join(work, 'ollama-source'), [{ name: 'acme/tiny:1', modelBytes: 100_000 }]);
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  async function bundleOf(inputs: ArtifactInput[]): Promise<string> {
    const dir = path.join(work, 'bundles', `case-${++n}`);
    await craftBundle({ dir, signer: key, volumeSize: VOLUME_SIZE, inputs });
    return dir;
  }

  async function filesInput(name: string, files: Record<string, string | Buffer>): Promise<ArtifactInput> {
    const source = path.join(work, 'files-source', `${++n}`, name);
    for (const [rel, content] of Object.entries(files)) {
      await fs.mkdir(path.dirname(path.join(source, rel)), { recursive: true });
      await fs.writeFile(path.join(source, rel), content);
    }
    return filesArtifact(source);
  }

  async function hfInput(commitLabel: string, config: string): Promise<ArtifactInput> {
    const cache = path.join(work, 'hf-source', `${++n}`);
    const commit = fixtureCommit(commitLabel);
    await writeHfRevision(
      cache,
      {
        type: 'model',
        repoId: 'acme/small',
        commit,
        refs: ['main'],
        files: [
          { path: 'config.json', bytes: text(config), lfs: false },
          { path: 'model.safetensors', bytes: pseudoRandomBytes(commitLabel, 9_000), lfs: true },
        ],
      },
      'symlinks',
    );
    return hfArtifact(await resolveHfRevision(cache, 'acme/small'));
  }

  function withManifest(input: ArtifactInput, edit: (manifest: { layers: { annotations: Record<string, string> }[] }) => void): ArtifactInput {
    const manifest = JSON.parse(Buffer.from(input.manifest).toString('utf8'));
    edit(manifest);
    return { ...input, manifest: Buffer.from(JSON.stringify(manifest)) };
  }

  async function ledgerTypes(bundle: string): Promise<string[]> {
    const shown = await ferry(home, ['ledger', 'show', '--json']);
    const entries = JSON.parse(shown.stdout).result.entries as { event: { type: string; dir?: string } }[];
    return entries.filter((e) => e.event.dir === bundle).map((e) => e.event.type);
  }

  /** Runs the import, expects `code` and `reason`, and every folder in `targets` exactly as before (or still absent). */
  async function refused(bundle: string, args: string[], targets: string[], code: number, reason: RegExp): Promise<string> {
    const before = await Promise.all(targets.map(treeSnapshot));
    const result = await ferry(home, ['import', bundle, '--trust', pub, ...args]);
    assert.equal(result.code, code, `exit code (stdout: ${result.stdout}; stderr: ${result.stderr})`);
    assert.match(result.stderr, reason);
    assert.deepEqual(await Promise.all(targets.map(treeSnapshot)), before, 'every target is exactly as it was');
    const types = await ledgerTypes(bundle);
    assert.ok(types.includes('import.rejected') && !types.includes('import.verified'), `recorded as refused, never verified: ${types.join(', ')}`);
    return result.stderr;
  }

  test('a Hugging Face etag that lies is caught by verify --deep and refused before the files beside it are written', async () => {
    const hf = await hfInput('etag lie', '{"hidden_size": 8}\n');
    const lying = withManifest(hf, (m) => {
      const layer = m.layers.find((l) => l.annotations['org.cncf.model.filepath'] === 'config.json')!;
      layer.annotations['io.ferry.hf.etag'] = gitBlobSha1(text('{"hidden_size": 9}\n'));
    });
    const bundle = await bundleOf([await filesInput('runbooks', { 'a.md': 'a' }), lying]);
    const verified = await ferry(home, ['verify', bundle, '--trust', pub, '--deep']);
    assert.equal(verified.code, 3, verified.stdout + verified.stderr);
    assert.match(verified.stdout + verified.stderr, /config\.json of .*acme\/small.* has etag [0-9a-f]{40}, but its bytes .* have the git sha1/);
    const files = path.join(work, 'etag-files');
    const cache = path.join(work, 'etag-cache');
    await refused(bundle, ['--to-dir', files, '--to-hf-cache', cache], [files, cache], 3, /config\.json .*etag/);
  });

  test('two artifacts that would write one file with different content are refused, whatever their order', async () => {
    const first = await filesInput('runbooks', { 'steps.md': 'one' });
    const second = { ...(await filesInput('runbooks', { 'steps.md': 'two' })), ref: 'ferry.local/files/runbooks-again:latest' };
    const bundle = await bundleOf([first, second]);
    const target = path.join(work, 'conflict-target');
    await fs.mkdir(target);
    await fs.writeFile(path.join(target, 'keep.txt'), 'keep');
    await refused(
      bundle,
      ['--to-dir', target],
      [target],
      3,
      /ferry\.local\/files\/runbooks(-again)?:latest and ferry\.local\/files\/runbooks(-again)?:latest would both write .*runbooks\/steps\.md with different content/,
    );
  });

  test('two models that would land on one registry tag are refused before the local targets are written', async () => {
    const both = await ollamaParts(path.join(work, 'ollama-clash'), [
      { name: 'acme/tiny:1', modelBytes: 100_000 },
      { name: 'other/tiny:1', modelBytes: 110_000 },
    ]);
    const bundle = await bundleOf([await filesInput('docs', { 'a.md': 'a' }), ...both]);
    const files = path.join(work, 'clash-files');
    // A push first checks that the registry answers; the clash is then refused before anything is sent to it or written.
    const registry = await startRegistry();
    try {
      await refused(
        bundle,
        ['--to-dir', files, '--to-registry', `${registry.host}/air/gap`, '--plain-http'],
        [files, registry.storage],
        2,
        new RegExp(`would both land at ${registry.host.replace(/\./g, '\\.')}/gap/tiny:1`),
      );
    } finally {
      await registry.stop();
    }
  });

  test('the same reference twice is refused by verify', async () => {
    const dir = path.join(work, 'bundles', `case-${++n}`);
    await craftBundle({
      dir,
      signer: key,
      volumeSize: VOLUME_SIZE,
      inputs: model,
      editIndex: (index) => void index.artifacts.push({ ...index.artifacts[0]! }),
    });
    const bundle = dir;
    const verified = await ferry(home, ['verify', bundle, '--trust', pub]);
    assert.equal(verified.code, 3);
    assert.match(verified.stderr, /names registry\.ollama\.ai\/acme\/tiny:1 twice/);
  });

  test('a name no file system holds, and a target too deep for a name, are refused up front', async () => {
    const longName = `notes/${'n'.repeat(256)}.md`;
    const notes = withManifest(await filesInput('notes', { 'short.md': 'x' }), (m) => {
      m.layers[0]!.annotations['org.opencontainers.image.title'] = longName;
    });
    const bundle = await bundleOf([await filesInput('docs', { 'ok.md': 'ok' }), notes]);
    const target = path.join(work, 'names-target');
    const stderr = await refused(bundle, ['--to-dir', target], [target], 3, /the name "nnnn.*" is 259 bytes; file systems hold at most 255/);
    assert.match(stderr, /ferry\.local\/files\/notes:latest/);

    // Ollama takes hosts of up to 350 characters; no file system takes such a folder name under manifests/.
    const longHost = `${'h'.repeat(290)}.example`;
    const hostBundle = path.join(work, 'bundles', `case-${++n}`);
    await craftBundle({
      dir: hostBundle,
      signer: key,
      volumeSize: VOLUME_SIZE,
      inputs: model,
      editInputs: (inputs) => void (inputs[0]!.ref = `${longHost}/acme/tiny:1`),
    });
    const store = path.join(work, 'names-store');
    await refused(
      hostBundle,
      ['--to-ollama-store', store],
      [store],
      3,
      new RegExp(`${longHost}/acme/tiny:1 cannot be installed: the name "h{60}…" is 298 bytes; file systems hold at most 255`),
    );

    const fits = await bundleOf([await filesInput('docs', { 'deep.md': 'deep' })]);
    let deep = path.join(work, 'deep');
    while (Buffer.byteLength(deep) < 3800) deep = path.join(deep, 'd'.repeat(200));
    deep = path.join(deep, 'e'.repeat(4090 - Buffer.byteLength(deep) - 1));
    await fs.mkdir(deep, { recursive: true });
    await refused(fits, ['--to-dir', deep], [deep], 2, /Choose a target folder with a shorter path/);
  });

  test('an import that does not fit on the target file system is refused before a byte is written', async (t) => {
    const small = path.join(work, 'small-disk');
    await fs.mkdir(small);
    const mounted = await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small]);
    if (mounted.code !== 0)
      return t.skip(`cannot mount a 1 MiB tmpfs here (${mounted.stderr.trim()}); run as root to check free space against a real small disk`);
    try {
      // One 100 kB blob named by forty files: a 100 kB bundle that writes 4 MB.
      const one = await filesInput('copies', { 'f00.bin': pseudoRandomBytes('copies', 100_000) });
      const forty = withManifest(one, (m) => {
        const layer = m.layers[0]!;
        m.layers = Array.from({ length: 40 }, (_, i) => ({
          ...layer,
          annotations: { ...layer.annotations, 'org.opencontainers.image.title': `copies/f${String(i).padStart(2, '0')}.bin` },
        }));
      });
      const bundle = await bundleOf([await filesInput('docs', { 'a.md': 'a' }), forty]);
      const target = path.join(small, 'files');
      await refused(bundle, ['--to-dir', target], [small], 1, /small-disk has 1\.00 MiB free, but the import needs 3\.\d+ MiB there/);
    } finally {
      await run('umount', [small]);
    }
  });

  test('a Hugging Face commit already installed is never changed by a later bundle with other content', async () => {
    const cache = path.join(work, 'commit-cache');
    const original = await bundleOf([await hfInput('same commit', '{"hidden_size": 8}\n')]);
    const installed = await ferry(home, ['import', original, '--trust', pub, '--to-hf-cache', cache]);
    assert.equal(installed.code, 0, installed.stderr);
    const changed = await bundleOf([await filesInput('docs', { 'a.md': 'a' }), await hfInput('same commit', '{"hidden_size": 16}\n')]);
    const files = path.join(work, 'commit-files');
    await refused(
      changed,
      ['--to-hf-cache', cache, '--to-dir', files],
      [cache, files],
      3,
      /acme\/small@[0-9a-f]{40} is already installed, and its config\.json holds other content/,
    );
  });

  test('a link planted in an Ollama store, or in a Hugging Face cache, is never written through; blobs/ may be a link', async () => {
    const outside = path.join(work, 'planted-outside');
    await fs.mkdir(outside);
    const store = path.join(work, 'planted-store');
    await fs.mkdir(path.join(store, 'manifests'), { recursive: true });
    await fs.symlink(outside, path.join(store, 'manifests', 'registry.ollama.ai'));
    const bundle = await bundleOf([await filesInput('docs', { 'a.md': 'a' }), ...model]);
    const files = path.join(work, 'planted-files');
    await refused(
      bundle,
      ['--to-dir', files, '--to-ollama-store', store],
      [files, store, outside],
      2,
      /registry\.ollama\.ai is a symbolic link leading outside/,
    );

    const cache = path.join(work, 'planted-cache');
    const repo = repoDirOf(cache, 'model', 'acme/small');
    await fs.mkdir(repo, { recursive: true });
    await fs.symlink(outside, path.join(repo, 'refs'));
    const hfBundle = await bundleOf([await hfInput('planted', '{}\n')]);
    await refused(hfBundle, ['--to-hf-cache', cache], [cache, outside], 2, /refs is a symbolic link leading outside/);

    const bigDisk = path.join(work, 'big-disk-blobs');
    await fs.mkdir(bigDisk);
    const linkedStore = path.join(work, 'linked-store');
    await fs.mkdir(linkedStore);
    await fs.symlink(bigDisk, path.join(linkedStore, 'blobs'));
    const done = await ferry(home, ['import', bundle, '--trust', pub, '--to-ollama-store', linkedStore, '--json']);
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(JSON.parse(done.stdout).result.linkedFolders, [{ folder: path.join(linkedStore, 'blobs'), to: bigDisk }]);
    assert.ok((await fs.readdir(bigDisk)).length >= 2, 'the blobs went to the linked disk');
  });

  test('an export refuses a Hugging Face cache whose snapshots/ leads outside the cache', async () => {
    const cache = path.join(work, 'export-cache');
    await writeHfRevision(
      cache,
      {
        type: 'model',
        repoId: 'acme/elsewhere',
        commit: fixtureCommit('elsewhere'),
        refs: ['main'],
        files: [{ path: 'config.json', bytes: text('{}\n'), lfs: false }],
      },
      'copies',
    );
    const repo = repoDirOf(cache, 'model', 'acme/elsewhere');
    const moved = path.join(work, 'snapshots-elsewhere');
    await fs.rename(path.join(repo, 'snapshots'), moved);
    await fs.symlink(moved, path.join(repo, 'snapshots'));
    const out = path.join(work, 'export-out');
    const result = await ferry(home, ['export', '--out', out, '--hf', 'acme/elsewhere'], { HF_HUB_CACHE: cache });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /snapshot folder of .*acme\/elsewhere.* outside the cache/);
  });
});

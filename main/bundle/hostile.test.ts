/**
 * Hostile bundles are refused. Each test crafts one lie into an otherwise clean bundle, signs it
 * with a trusted key (so every outer check passes), runs `ferry import` as a user would and checks
 * that: the exit code is 3; the refusal names that lie (a phrase no other case produces); the
 * target store holds exactly what it held before (no manifest, no blob, no temp file); nothing
 * was written anywhere else in the test's folder (a `..` entry would land on a canary there); and
 * the ledger records the refusal. The control, the same builder with no edits, imports.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { canonicalJson } from '../util/canonical-json.js';
import type { SiteKey } from '../keys/keys.js';
import { ferry, listFiles, tempDir } from '../testing/cli.js';
import { craftBundle, ollamaParts, testSiteKey, type CraftedBundle, type CraftEntry, type CraftOptions } from '../testing/crafted-bundle.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { makeHfCache } from '../testing/hf-fixture.js';
import { filesArtifact } from '../files/artifact.js';
import { hfArtifact } from '../hf/artifact.js';
import { resolveHfRevision } from '../hf/cache.js';
import type { ArtifactInput } from './plan.js';
import { blobEntryName } from './plan.js';
import { END_OF_ARCHIVE } from './tar.js';
import { writeVolumes } from './write.js';

const VOLUME_SIZE = 32 * 1024;
const MODEL = 'acme/tiny:1';
const MODEL_REF = 'registry.ollama.ai/acme/tiny:1';

/** Every path under `dir` (folders end in /) with each file's sha256: a byte-exact picture of a tree. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(rel: string): Promise<void> {
    for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) {
        out.set(`${child}/`, 'dir');
        await walk(child);
      } else if (entry.isFile())
        out.set(
          child,
          createHash('sha256')
            .update(await fs.readFile(path.join(dir, child)))
            .digest('hex'),
        );
      else out.set(child, `not a regular file`);
    }
  }
  await walk('');
  return out;
}

const exists = (p: string) =>
  fs.lstat(p).then(
    () => true,
    () => false,
  );

describe('ferry import refuses hostile bundles (exit 3, nothing written)', () => {
  let work: string;
  let home: string;
  let key: SiteKey;
  let pub: string;
  let inputs: ArtifactInput[];
  let baseline: string;
  /** Entry names of the clean model's blobs, by role. */
  let names: { model: string; license: string };

  before(async () => {
    work = await tempDir('hostile');
    home = path.join(work, 'home');
    key = testSiteKey();
    pub = path.join(work, 'site.pub.pem');
    await fs.writeFile(pub, key.publicKeyPem);
    inputs = await ollamaParts(path.join(work, 'source'), [{ name: MODEL, modelBytes: 100_000, license: 'MIT', template: '{{ .Prompt }}' }]);
    const [input] = inputs;
    const model = input!.blobs.find((b) => b.size === 100_000)!;
    const license = input!.blobs.find((b) => b.size === 3)!;
    names = { model: blobEntryName(model.digest), license: blobEntryName(license.digest) };
    // The target already holds another model: a refused import must leave it exactly as it was.
    baseline = path.join(work, 'baseline-store');
    await makeOllamaStore(baseline, [{ name: 'other:1', modelBytes: 70_000 }]);
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  interface Case {
    caseDir: string;
    bundle: string;
    store: string;
    crafted: CraftedBundle;
  }

  async function craft(slug: string, edits: Omit<CraftOptions, 'dir' | 'signer' | 'volumeSize' | 'inputs'> & { inputs?: ArtifactInput[] } = {}): Promise<Case> {
    const caseDir = path.join(work, slug);
    const store = path.join(caseDir, 'store');
    await fs.mkdir(caseDir);
    await fs.cp(baseline, store, { recursive: true });
    const bundle = path.join(caseDir, 'bundle', `hostile-${slug}`);
    const crafted = await craftBundle({ dir: bundle, signer: key, volumeSize: VOLUME_SIZE, inputs, ...edits });
    return { caseDir, bundle, store, crafted };
  }

  async function ledgerFor(c: Case): Promise<string[]> {
    const shown = await ferry(home, ['ledger', 'show', '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    const entries = JSON.parse(shown.stdout).result.entries as { event: { type: string; dir?: string; bundle?: string } }[];
    return entries.filter((e) => e.event.dir === c.bundle || e.event.bundle === c.crafted.bundleDigest).map((e) => e.event.type);
  }

  /**
   * Imports the crafted bundle and checks the refusal: exit 3, `reason` in stderr, the case's folder
   * (store, bundle, canaries) byte-for-byte as before, and the ledger entry `recorded`.
   */
  async function refuses(
    t: TestContext,
    c: Case,
    reason: RegExp,
    recorded: 'import.rejected' | 'import.failed' = 'import.rejected',
    moreTargets: string[] = [],
  ): Promise<string> {
    const before = await snapshot(c.caseDir);
    const storeBefore = await listFiles(c.store);
    const result = await ferry(home, ['import', c.bundle, '--trust', pub, '--to-ollama-store', c.store, ...moreTargets]);
    assert.equal(result.code, 3, `exit code (stderr: ${result.stderr})`);
    assert.match(result.stderr, reason);
    assert.deepEqual(await listFiles(c.store), storeBefore, 'the store holds only what it held before');
    assert.ok(!(await listFiles(c.store)).some((f) => f.includes('partial')), 'no temp files');
    assert.deepEqual(await snapshot(c.caseDir), before, 'nothing in the case folder changed or appeared');
    assert.equal(await exists(path.join(work, 'escape')), false, 'nothing escaped above the case folder');
    const types = await ledgerFor(c);
    assert.ok(types.includes(recorded), `ledger has ${recorded}: ${types.join(', ')}`);
    assert.ok(!types.includes('import.completed'), `ledger has no import.completed: ${types.join(', ')}`);
    // The one read starts the import (import.started); a refusal means it was never verified, and nothing was committed.
    if (recorded === 'import.rejected') assert.ok(!types.includes('import.verified'), `nothing was verified: ${types.join(', ')}`);
    t.diagnostic(result.stderr.trim());
    return result.stderr.trim();
  }

  const replaceEntry = (entries: CraftEntry[], name: string, change: Partial<CraftEntry>) => {
    const i = entries.findIndex((e) => e.name === name);
    assert.ok(i >= 0, `entry ${name} is in the clean stream`);
    entries[i] = { ...entries[i]!, ...change };
  };
  const insertAfterLayout = (entries: CraftEntry[], entry: CraftEntry) => entries.splice(1, 0, entry);
  const flipped = (data: Buffer) => {
    const copy = Buffer.from(data);
    copy[copy.length >> 1]! ^= 0xff;
    return copy;
  };

  test('control: the builder with no edits writes what the exporter writes, and it imports', async () => {
    const c = await craft('control');
    // Byte-identical volumes to the real writer's, from the same plan.
    const real = path.join(c.caseDir, 'real');
    await fs.mkdir(real);
    const volumes = await writeVolumes(c.crafted.plan, { dir: real, name: c.crafted.name, volumeSize: VOLUME_SIZE });
    assert.deepEqual(volumes, c.crafted.index.volumes);
    assert.ok(volumes.length >= 3, 'several volumes, so blobs cross volume boundaries');

    const verified = await ferry(home, ['verify', c.bundle, '--trust', pub, '--deep']);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    const storeBefore = await listFiles(c.store);
    const result = await ferry(home, ['import', c.bundle, '--trust', pub, '--to-ollama-store', c.store]);
    assert.equal(result.code, 0, result.stderr);
    const after = await listFiles(c.store);
    assert.ok(
      storeBefore.every((f) => after.includes(f)),
      'the earlier model is still there',
    );
    assert.ok(after.includes(path.join('manifests', 'registry.ollama.ai', 'acme', 'tiny', '1')));
    assert.equal(after.filter((f) => f.startsWith('blobs')).length, storeBefore.filter((f) => f.startsWith('blobs')).length + 4);
    assert.ok((await ledgerFor(c)).includes('import.completed'));
  });

  // ---- paths ----

  test('an entry named with ".." is refused', async (t) => {
    const c = await craft('dotdot', { editEntries: (e) => insertAfterLayout(e, { name: '../escape', data: Buffer.from('escaped\n') }) });
    await refuses(t, c, /entry "\.\.\/escape" has a "\.\." path part/);
  });

  test('an entry with an absolute path is refused', async (t) => {
    const target = path.join(work, 'dotdot-abs', 'escape');
    const c = await craft('dotdot-abs', { editEntries: (e) => insertAfterLayout(e, { name: target, data: Buffer.from('escaped\n') }) });
    const message = await refuses(t, c, /has an absolute path/);
    assert.ok(message.includes(target), message);
  });

  test('a pax path record with ".." is refused', async (t) => {
    const c = await craft('pax-path', { editEntries: (e) => replaceEntry(e, names.license, { pax: { path: '../../escape' } }) });
    await refuses(t, c, /pax path "\.\.\/\.\.\/escape" has a "\.\." path part/);
  });

  // ---- links and devices ----

  test('a symbolic link is refused', async (t) => {
    const c = await craft('symlink', { editEntries: (e) => replaceEntry(e, names.model, { type: '2', linkname: '/etc/passwd', data: Buffer.alloc(0) }) });
    await refuses(t, c, /is a symbolic link \(to "\/etc\/passwd"\)/);
  });

  test('a hard link is refused', async (t) => {
    const c = await craft('hardlink', { editEntries: (e) => replaceEntry(e, names.model, { type: '1', linkname: '../../escape', data: Buffer.alloc(0) }) });
    await refuses(t, c, /is a hard link \(to "\.\.\/\.\.\/escape"\)/);
  });

  for (const [type, what] of [
    ['3', 'character device'],
    ['4', 'block device'],
    ['6', 'FIFO'],
  ] as const) {
    test(`a ${what} is refused`, async (t) => {
      const c = await craft(`device-${type}`, { editEntries: (e) => replaceEntry(e, names.license, { type, data: Buffer.alloc(0) }) });
      await refuses(t, c, new RegExp(`is a ${what}, not a regular file`));
    });
  }

  // ---- duplicates ----

  test('a second, different copy of a blob after index.json is refused', async (t) => {
    const c = await craft('duplicate-blob', {
      editEntries: (e) => e.push({ name: names.model, data: flipped(e.find((x) => x.name === names.model)!.data) }),
    });
    await refuses(t, c, new RegExp(`entry "${names.model}" appears twice`));
  });

  test('a second, different index.json is refused', async (t) => {
    const c = await craft('duplicate-index', { editEntries: (e) => e.push({ name: 'index.json', data: Buffer.from('{"schemaVersion":2,"manifests":[]}') }) });
    await refuses(t, c, /entry "index\.json" appears twice/);
  });

  // ---- content and BUNDLE.json lies ----

  test('a blob whose content does not match its digest is refused and never committed', async (t) => {
    const c = await craft('content', { editEntries: (e) => replaceEntry(e, names.model, { data: flipped(e.find((x) => x.name === names.model)!.data) }) });
    const digest = `sha256:${path.basename(names.model)}`;
    await refuses(t, c, new RegExp(`blob ${digest} does not match its digest`));
    const deep = await ferry(home, ['verify', c.bundle, '--trust', pub, '--deep']);
    assert.equal(deep.code, 3);
    assert.match(deep.stdout, new RegExp(`blob ${digest} does not match its digest`));
  });

  // The import hashes every blob while it verifies, before any model is installed: a lying blob in
  // the second model leaves the first uninstalled too.
  test('a lying blob in the second model leaves the first model uninstalled too', async (t) => {
    const second = await ollamaParts(path.join(work, 'source-second'), [{ name: 'zzz:1', modelBytes: 50_000 }]);
    const c = await craft('content-second-model', {
      inputs: [...inputs, ...second],
      editEntries: (e) => {
        const weights = blobEntryName(second[0]!.blobs.find((b) => b.size === 50_000)!.digest);
        replaceEntry(e, weights, { data: flipped(e.find((x) => x.name === weights)!.data) });
      },
    });
    await refuses(t, c, /does not match its digest/);
  });

  test('a BUNDLE.json offset that lies is refused', async (t) => {
    const c = await craft('offset', {
      editIndex: (index) => {
        index.blobs.find((b) => blobEntryName(b.digest) === names.model)!.offset += 512;
      },
    });
    await refuses(t, c, /starts at \d+, BUNDLE\.json says \d+/);
  });

  test('a BUNDLE.json size that lies is refused', async (t) => {
    const c = await craft('size-index', {
      editIndex: (index) => {
        index.blobs.find((b) => blobEntryName(b.digest) === names.model)!.size -= 1;
      },
    });
    await refuses(t, c, /holds 100000 bytes, BUNDLE\.json says 99999/);
  });

  test('a tar header size that lies is refused', async (t) => {
    const c = await craft('size-header', {
      editEntries: (e) => replaceEntry(e, names.model, { headerSize: 100_000 + 1024 }),
      editIndex: (index) => {
        index.blobs.find((b) => blobEntryName(b.digest) === names.model)!.size = 100_000;
      },
    });
    await refuses(t, c, /holds 101024 bytes, BUNDLE\.json says 100000/);
  });

  test("a manifest's layer size that lies is refused", async (t) => {
    const c = await craft('size-manifest', {
      editInputs: (inputs) => {
        const manifest = JSON.parse(Buffer.from(inputs[0]!.manifest).toString('utf8'));
        manifest.layers[0].size += 1;
        inputs[0]!.manifest = Buffer.from(JSON.stringify(manifest));
      },
    });
    await refuses(t, c, /gives blob sha256:[0-9a-f]{64} the size 100001, but the bundle holds 100000 bytes/);
  });

  test('a truncated stream (the last volume cut short, SHA256SUMS re-signed) is refused', async (t) => {
    const c = await craft('truncated', {
      editVolumes: (volumes) => {
        const last = volumes.length - 1;
        assert.ok(volumes[last]!.length > END_OF_ARCHIVE.length, 'the cut stays inside the last volume');
        volumes[last] = volumes[last]!.subarray(0, volumes[last]!.length - END_OF_ARCHIVE.length);
      },
    });
    await refuses(t, c, /the stream ended early \(truncated\)/);
  });

  // ---- the OCI layout ----

  test('a stream without index.json is refused', async (t) => {
    const c = await craft('no-index', {
      editEntries: (e) =>
        void e.splice(
          e.findIndex((x) => x.name === 'index.json'),
          1,
        ),
    });
    await refuses(t, c, /the archive ends before index\.json/);
  });

  test('index.json naming a manifest the bundle does not hold is refused', async (t) => {
    const absent = `sha256:${createHash('sha256').update('absent').digest('hex')}`;
    const c = await craft('index-absent', {
      editEntries: (e) => {
        const index = e.find((x) => x.name === 'index.json')!;
        const parsed = JSON.parse(index.data.toString('utf8'));
        parsed.manifests[0].digest = absent;
        index.data = Buffer.from(canonicalJson(parsed));
      },
    });
    await refuses(t, c, new RegExp(`index\\.json names ${absent} for ${MODEL_REF.replace(/\./g, '\\.')}, which the bundle does not hold`));
  });

  test('a manifest naming a blob the bundle does not hold is refused', async (t) => {
    const c = await craft('manifest-absent', {
      editInputs: (inputs) => {
        inputs[0]!.blobs = inputs[0]!.blobs.filter((b) => blobEntryName(b.digest) !== names.license);
      },
    });
    await refuses(t, c, new RegExp(`names blob sha256:${path.basename(names.license)}, which the bundle does not hold`));
  });

  // ---- absurd sizes ----

  test('a blob size larger than the volumes is refused', async (t) => {
    const huge = 2 ** 40;
    const c = await craft('absurd-blob', { editEntries: (e) => replaceEntry(e, names.model, { pax: { size: String(huge) } }) });
    assert.equal(
      c.crafted.index.blobs.find((b) => blobEntryName(b.digest) === names.model)!.size,
      huge,
      'BUNDLE.json and the tar header agree on the absurd size',
    );
    await refuses(t, c, /places blob sha256:[0-9a-f]{64} \(1099511627776 bytes at offset \d+\) beyond the end of the volumes/);
  });

  test('an index.json size larger than the volumes is refused', async (t) => {
    const c = await craft('absurd-index', { editEntries: (e) => replaceEntry(e, 'index.json', { pax: { size: String(2 ** 40) }, headerSize: 2 ** 40 }) });
    await refuses(t, c, /entry "index\.json" claims 1099511627776 bytes, more than the volumes hold/);
  });

  // ---- tar fields GNU tar reads differently ----

  test('a pax size that is not plain decimal digits is refused (GNU tar would not read it)', async (t) => {
    const c = await craft('pax-hex', { editEntries: (e) => replaceEntry(e, names.model, { pax: { size: '0x186a0' } }) });
    await refuses(t, c, /pax size "0x186a0" is not a decimal number/);
  });

  // ---- refs of every kind ----

  const badRefs: [string, string, RegExp][] = [
    ['image', 'docker.io/library/nginx:1.27.3\u001b[2J', /names image "docker\.io\/library\/nginx:1\.27\.3\\u001b\[2J", which is not a registry reference/],
    ['image', 'evil.example/../../x:1', /names image "evil\.example\/\.\.\/\.\.\/x:1", which is not a registry reference/],
    ['helm-chart', 'nginx', /names Helm chart "nginx", which is not a registry reference: it is not written in full/],
    ['hf-repo', 'huggingface.co/../x:main', /names Hugging Face repo "huggingface\.co\/\.\.\/x:main", which is not a Hugging Face repo reference/],
    [
      'files',
      'ferry.local/files/../../etc:latest',
      /names files artifact "ferry\.local\/files\/\.\.\/\.\.\/etc:latest", which is not a reference Ferry gives files/,
    ],
  ];
  for (const [kind, ref, reason] of badRefs) {
    test(`the ${kind} ref ${JSON.stringify(ref)} is refused`, async (t) => {
      const c = await craft(`ref-${kind}-${badRefs.findIndex((b) => b[1] === ref)}`, {
        editInputs: (i) => {
          i[0] = { ...i[0]!, kind: kind as ArtifactInput['kind'], ref };
        },
      });
      await refuses(t, c, reason);
    });
  }

  // ---- Ollama names ----

  for (const ref of ['registry.ollama.ai/../../etc/x:1', 'registry.ollama.ai/../x:1', 'registry.ollama.ai/library/..:1', 'registry.ollama.ai/library/x:..']) {
    test(`an Ollama model ref ${ref} is refused`, async (t) => {
      const c = await craft(`ref-${createHash('sha256').update(ref).digest('hex').slice(0, 8)}`, {
        editInputs: (inputs) => {
          inputs[0]!.ref = ref;
        },
      });
      const message = await refuses(t, c, /is not a safe Ollama model name/);
      assert.ok(message.includes(JSON.stringify(ref)), message);
      assert.match(message, /"\.\."/);
    });
  }

  // ---- names a folder writer would use, in a Hugging Face repo or a files artifact ----

  /** The artifact with one layer annotation rewritten, so its manifest (and digest) carry the lie. */
  function withLayerAnnotation(input: ArtifactInput, key: string, value: string): ArtifactInput {
    const manifest = JSON.parse(Buffer.from(input.manifest).toString('utf8')) as { layers: { annotations: Record<string, string> }[] };
    manifest.layers[manifest.layers.length - 1]!.annotations[key] = value;
    return { ...input, manifest: Buffer.from(JSON.stringify(manifest)) };
  }

  test('a Hugging Face file path that climbs out of the cache is refused before the model beside it is installed', async (t) => {
    const cache = path.join(work, 'hf-source');
    await makeHfCache(cache, { weightBytes: 20_000 });
    const hf = await hfArtifact(await resolveHfRevision(cache, 'acme/tiny-embed'));
    const c = await craft('hf-path', { inputs: [...inputs, withLayerAnnotation(hf, 'org.cncf.model.filepath', '../../escape')] });
    const target = path.join(c.caseDir, 'hf-cache');
    await refuses(t, c, /File "\.\.\/\.\.\/escape" of acme\/tiny-embed has a "\.\." path segment/, 'import.rejected', ['--to-hf-cache', target]);
    assert.equal(await exists(target), false, 'the cache was not even created');
  });

  test('a file title that climbs out of the target folder is refused before anything is written', async (t) => {
    const source = path.join(work, 'files-source');
    await fs.mkdir(source, { recursive: true });
    await fs.writeFile(path.join(source, 'runbook.md'), '# steps\n');
    const files = await filesArtifact(source);
    const c = await craft('files-title', { inputs: [...inputs, withLayerAnnotation(files, 'org.opencontainers.image.title', '../escape')] });
    const target = path.join(c.caseDir, 'restored');
    await refuses(t, c, /names "\.\.\/escape", which has a "\.\." path segment/, 'import.rejected', ['--to-dir', target]);
    assert.equal(await exists(target), false, 'the folder was not even created');
  });
});

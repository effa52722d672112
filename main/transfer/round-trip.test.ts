import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandExists, ferry, flipByte, listFiles, run, tempDir } from '../testing/cli.js';
import { corruptBlob, makeOllamaStore } from '../testing/ollama-fixture.js';

const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

describe('ferry export → import of Ollama models', () => {
  let work: string;
  let store: string;
  let homeA: string;
  let homeB: string;
  let bundle: string;
  let pubA: string;
  const models = ['granite4.1:8b', 'acme/tiny:1', 'qwen3:0.6b'];

  before(async () => {
    work = await tempDir('roundtrip');
    store = path.join(work, 'store');
    homeA = path.join(work, 'home-a');
    homeB = path.join(work, 'home-b');
    bundle = path.join(work, 'usb', 'models-2026-11');
    pubA = path.join(work, 'site-a.pub.pem');
    await makeOllamaStore(store, [
      { name: 'granite4.1:8b', modelBytes: 3 * 1024 * 1024 + 123, license: 'Apache-2.0', quantization: 'Q4_K_M' },
      // Shares granite's weights and has a manifest formatted unlike Ollama's encoder.
      { name: 'acme/tiny:1', sharedWith: 'granite4.1:8b', manifestStyle: 'pretty' },
      { name: 'qwen3:0.6b', modelBytes: 200_000 },
    ]);
    const exported = await ferry(homeA, [
      'export',
      '--out',
      bundle,
      '--ollama-store',
      store,
      '--volume-size',
      '1MiB',
      ...models.flatMap((m) => ['--ollama', m]),
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal((await ferry(homeA, ['keys', 'export-public', pubA])).code, 0);
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  test('the bundle folder has the v1 files and 3-digit volumes of the asked size', async () => {
    const files = (await fs.readdir(bundle)).sort();
    const volumes = files.filter((f) => f.startsWith('models-2026-11.tar.'));
    assert.deepEqual(
      files.filter((f) => !volumes.includes(f)),
      ['BUNDLE.json', 'SHA256SUMS', 'SHA256SUMS.sig', 'VERIFY.txt', 'signer.pub.pem'],
    );
    assert.ok(volumes.length >= 3, `expected several 1 MiB volumes, got ${volumes.join(', ')}`);
    volumes.forEach((v, i) => assert.equal(v, `models-2026-11.tar.${String(i + 1).padStart(3, '0')}`));
    for (const v of volumes.slice(0, -1)) assert.equal((await fs.stat(path.join(bundle, v))).size, 1024 * 1024);
  });

  test('sha256sum -c and openssl verify the bundle by hand, as VERIFY.txt says', async () => {
    const sums = await run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: bundle });
    assert.equal(sums.code, 0, sums.stdout + sums.stderr);
    assert.match(sums.stdout, /BUNDLE\.json: OK/);
    const der = path.join(work, 'sig.der');
    await fs.writeFile(der, Buffer.from(await fs.readFile(path.join(bundle, 'SHA256SUMS.sig'), 'utf8'), 'base64'));
    const verified = await run('openssl', ['dgst', '-sha256', '-verify', 'signer.pub.pem', '-signature', der, 'SHA256SUMS'], { cwd: bundle });
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /Verified OK/);
    const fingerprint = await run('sh', ['-c', 'openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum'], { cwd: bundle });
    const index = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8'));
    assert.equal(fingerprint.stdout.split(' ')[0], index.signer);
    const verifyText = await fs.readFile(path.join(bundle, 'VERIFY.txt'), 'utf8');
    assert.ok(verifyText.includes(`sha256sum -c SHA256SUMS`) && verifyText.includes(index.signer));
    assert.ok(verifyText.includes(await sha256(path.join(bundle, 'SHA256SUMS'))), 'VERIFY.txt names the bundle digest');
    // Its signature check, run as written: a private temporary file (mktemp), never a fixed shared path.
    const signatureLine = verifyText
      .split('\n')
      .find((l) => l.includes('openssl dgst'))!
      .trim();
    assert.match(signatureLine, /^sig=\$\(mktemp\) && /);
    assert.doesNotMatch(verifyText, /\/tmp\//);
    const byHand = await run('sh', ['-c', signatureLine], { cwd: bundle });
    assert.equal(byHand.code, 0, byHand.stderr);
    assert.match(byHand.stdout, /Verified OK/);
    assert.match(verifyText, /^ {5}cosign verify-blob --key signer\.pub\.pem --signature SHA256SUMS\.sig --insecure-ignore-tlog=true SHA256SUMS$/m);
  });

  test('GNU tar reads the joined volumes as an OCI layout, in the format order', async (t) => {
    const listing = await run('sh', ['-c', 'cat models-2026-11.tar.* | tar -tv'], { cwd: bundle });
    assert.equal(listing.code, 0, listing.stderr);
    const names = listing.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).pop()!);
    assert.equal(names[0], 'oci-layout');
    assert.equal(names[names.length - 1], 'index.json');
    assert.ok(names.slice(1, -1).every((n) => /^blobs\/sha256\/[0-9a-f]{64}$/.test(n)));
    assert.equal(new Set(names).size, names.length, 'each blob once, even when shared');
    assert.ok(
      listing.stdout
        .split('\n')
        .filter(Boolean)
        .every((l) => l.startsWith('-rw-r--r-- 0/0')),
      'regular files, 0644, uid/gid 0',
    );

    const extracted = path.join(work, 'layout');
    await fs.mkdir(extracted);
    const untar = await run('sh', ['-c', `cat ${bundle}/models-2026-11.tar.* | tar -x -C ${extracted}`]);
    assert.equal(untar.code, 0, untar.stderr);
    const index = JSON.parse(await fs.readFile(path.join(extracted, 'index.json'), 'utf8'));
    const refs = index.manifests.map((m: { annotations: Record<string, string> }) => m.annotations['org.opencontainers.image.ref.name']).sort();
    assert.deepEqual(refs, ['registry.ollama.ai/acme/tiny:1', 'registry.ollama.ai/library/granite4.1:8b', 'registry.ollama.ai/library/qwen3:0.6b']);
    for (const name of names.filter((n) => n.startsWith('blobs/')))
      assert.equal(await sha256(path.join(extracted, name)), path.basename(name), `${name} holds its digest's bytes`);
    if (await commandExists('umoci')) {
      const umoci = await run('umoci', ['ls', '--layout', extracted]);
      assert.equal(umoci.code, 0, umoci.stderr);
      assert.match(umoci.stdout, /registry\.ollama\.ai\/library\/granite4\.1:8b/);
    } else t.diagnostic('umoci is not installed: the umoci ls check was skipped');
    await fs.rm(extracted, { recursive: true });
  });

  test('ferry verify refuses an untrusted signer and accepts a pinned one', async () => {
    const untrusted = await ferry(homeB, ['verify', bundle]);
    assert.equal(untrusted.code, 3);
    const index = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8'));
    assert.ok(untrusted.stdout.includes(index.signer), 'shows the fingerprint');
    assert.match(untrusted.stdout, /ferry keys trust/);
    const trusted = await ferry(homeB, ['verify', bundle, '--trust', pubA, '--deep', '--json']);
    assert.equal(trusted.code, 0, trusted.stderr);
    const report = JSON.parse(trusted.stdout);
    assert.equal(report.ok, true);
    assert.ok(report.result.volumes.every((v: { status: string }) => v.status === 'ok'));
  });

  test('import rebuilds the store byte-exact: same manifests, same model IDs, every blob', async () => {
    const target = path.join(work, 'pvc', 'models');
    const imported = await ferry(homeB, ['import', bundle, '--trust', pubA, '--to-ollama-store', target, '--json']);
    assert.equal(imported.code, 0, imported.stderr);
    const sourceFiles = await listFiles(store);
    assert.deepEqual(await listFiles(target), sourceFiles);
    for (const file of sourceFiles)
      assert.ok((await fs.readFile(path.join(store, file))).equals(await fs.readFile(path.join(target, file))), `${file} differs`);

    const listed = JSON.parse((await ferry(homeB, ['ollama', 'ls', '--store', target, '--json'])).stdout);
    const original = JSON.parse((await ferry(homeB, ['ollama', 'ls', '--store', store, '--json'])).stdout);
    assert.deepEqual(
      listed.result.models.map((m: { id: string }) => m.id),
      original.result.models.map((m: { id: string }) => m.id),
    );

    const again = await ferry(homeB, ['import', bundle, '--trust', pubA, '--to-ollama-store', target, '--json']);
    assert.equal(again.code, 0, again.stderr);
    const result = JSON.parse(again.stdout).result;
    assert.ok(
      result.artifacts.every((a: { blobsWritten: number }) => a.blobsWritten === 0),
      'a second import rewrites nothing',
    );
  });

  test('both ledgers hold the transfer, the importer witnesses the exporter checkpoint, both chains verify', async () => {
    for (const home of [homeA, homeB]) {
      const verified = await ferry(home, ['ledger', 'verify']);
      assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    }
    const exportSide = JSON.parse((await ferry(homeA, ['ledger', 'show', '--json'])).stdout).result.entries;
    const completed = exportSide.find((e: { event: { type: string } }) => e.event.type === 'export.completed');
    const digest = `sha256:${await sha256(path.join(bundle, 'SHA256SUMS'))}`;
    assert.equal(completed.event.bundle, digest);
    assert.equal(completed.event.operator.name, 'Test Operator');
    assert.equal(completed.event.artifacts.length, 3);
    const importSide = JSON.parse((await ferry(homeB, ['ledger', 'show', '--type', 'import.verified', '--json'])).stdout).result.entries;
    assert.ok(importSide.length >= 1);
    const witnessed = importSide[0].event.exporter;
    assert.equal(witnessed.checkpointValid, true);
    const index = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8'));
    assert.equal(witnessed.checkpoint, index.ledger.checkpoint);
    assert.ok(index.ledger.lines.some((l: string) => l.includes('"type":"export.started"')));
  });

  test('the same selection in another order gives byte-identical volumes', async () => {
    const second = path.join(work, 'again');
    const exported = await ferry(homeA, [
      'export',
      '--out',
      second,
      '--name',
      'models-2026-11',
      '--ollama-store',
      store,
      '--volume-size',
      '1MiB',
      ...[...models].reverse().flatMap((m) => ['--ollama', m]),
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    const first = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8'));
    const again = JSON.parse(await fs.readFile(path.join(second, 'BUNDLE.json'), 'utf8'));
    assert.deepEqual(again.volumes, first.volumes);
    assert.equal(again.previousBundle, `sha256:${await sha256(path.join(bundle, 'SHA256SUMS'))}`, 'the second bundle names the first as previous');
    await fs.rm(second, { recursive: true });
  });

  describe('refusals: exit 3 and nothing written to the target', () => {
    const copyBundle = async (name: string) => {
      const copy = path.join(work, name);
      await fs.cp(bundle, copy, { recursive: true });
      return copy;
    };
    const assertNothingImported = async (target: string) => {
      const exists = await fs.stat(target).then(
        () => true,
        () => false,
      );
      assert.ok(!exists || (await listFiles(target)).length === 0, `nothing may be written to ${target}`);
    };
    /** A store that did not exist before the refused import does not exist after it: no empty folder left behind. */
    const assertNotCreated = async (target: string) => {
      await assert.rejects(fs.stat(target), { code: 'ENOENT' }, `${target} was made by an import that wrote nothing`);
      await assert.rejects(fs.stat(path.dirname(target)), { code: 'ENOENT' }, `${path.dirname(target)} was made by an import that wrote nothing`);
    };

    // Byte 1000 of the first volume is the padding after the oci-layout file; 700,000 is inside a blob.
    for (const [volumeNumber, at] of [
      ['001', 1000],
      ['001', 700_000],
      ['002', 700_000],
    ] as const) {
      test(`a flipped byte at ${at} in volume ${volumeNumber} is refused, naming the volume`, async () => {
        const copy = await copyBundle(`flipped-${volumeNumber}-${at}`);
        await flipByte(path.join(copy, `models-2026-11.tar.${volumeNumber}`), at);
        const target = path.join(work, `new-share-${volumeNumber}-${at}`, 'models');
        const result = await ferry(homeB, ['import', copy, '--trust', pubA, '--to-ollama-store', target]);
        assert.equal(result.code, 3, result.stderr);
        // Damaged media explains whatever else its bytes broke (a blob's digest, the tar's padding): it comes first.
        assert.match(
          result.stderr,
          new RegExp(`^ferry import: Volume models-2026-11\\.tar\\.${volumeNumber} does not match SHA256SUMS .*Copy it again from its disc`),
          result.stderr,
        );
        // ...and what else it broke is listed under it, not only counted.
        if (at === 1000) assert.match(result.stderr, /\n {2}also: The bundle's tar stream is not what BUNDLE\.json describes: non-zero padding/, result.stderr);
        await assertNotCreated(target);
      });
    }

    test("the bundle's own signer.pub.pem is refused as --trust by verify, import and stage: it cannot vouch for its bundle", async () => {
      const ownKey = path.join(bundle, 'signer.pub.pem');
      const target = path.join(work, 'own-key-share', 'models');
      for (const args of [
        ['verify', bundle, '--trust', ownKey],
        ['import', bundle, '--trust', ownKey, '--to-ollama-store', target],
        ['stage', '--from', bundle, '--to', path.join(work, 'staging-own-key'), '--trust', ownKey],
      ]) {
        const result = await ferry(homeB, args);
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, /this key travels with the bundle in .*, so it cannot vouch for the bundle\. Compare its fingerprint/);
      }
      // Through a link to it, too.
      const linked = path.join(work, 'linked-own-key.pub.pem');
      await fs.symlink(ownKey, linked);
      assert.equal((await ferry(homeB, ['verify', bundle, '--trust', linked])).code, 2);
      await assertNotCreated(target);
    });

    test('a missing volume is refused, naming it', async () => {
      const copy = await copyBundle('missing');
      await fs.rm(path.join(copy, 'models-2026-11.tar.002'));
      const target = path.join(work, 'target-missing');
      const result = await ferry(homeB, ['import', copy, '--trust', pubA, '--to-ollama-store', target]);
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, /models-2026-11\.tar\.002 is missing/);
      await assertNothingImported(target);
    });

    test('an untrusted signer is refused, showing the fingerprint and how to trust it', async () => {
      const target = path.join(work, 'target-untrusted');
      const stranger = await tempDir('stranger');
      const result = await ferry(stranger, ['import', bundle, '--to-ollama-store', target]);
      assert.equal(result.code, 3, result.stderr);
      const index = JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8'));
      assert.ok(result.stderr.includes(index.signer));
      assert.match(result.stderr, /ferry keys trust/);
      await assertNothingImported(target);
      const rejected = JSON.parse((await ferry(stranger, ['ledger', 'show', '--type', 'import.rejected', '--json'])).stdout).result.entries;
      assert.equal(rejected.length, 1, 'the refusal is in the ledger');
      await fs.rm(stranger, { recursive: true });
    });

    test('a signature that does not match SHA256SUMS is refused', async () => {
      const copy = await copyBundle('resigned');
      const sums = await fs.readFile(path.join(copy, 'SHA256SUMS'), 'utf8');
      await fs.writeFile(
        path.join(copy, 'SHA256SUMS'),
        sums.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      );
      const target = path.join(work, 'target-resigned');
      const result = await ferry(homeB, ['import', copy, '--trust', pubA, '--to-ollama-store', target]);
      assert.equal(result.code, 3);
      assert.match(result.stderr, /signature/i);
      await assertNothingImported(target);
    });

    test('a store blob that mismatches its name is caught at export, and no bundle is left', async () => {
      const damaged = path.join(work, 'damaged-store');
      const built = await makeOllamaStore(damaged, [{ name: 'broken:1', modelBytes: 300_000 }]);
      const weights = built.models[0]!.blobs[1]!;
      await corruptBlob(damaged, weights);
      const out = path.join(work, 'damaged-bundle');
      const result = await ferry(homeA, ['export', '--out', out, '--ollama-store', damaged, '--ollama', 'broken:1']);
      assert.equal(result.code, 3, result.stderr);
      assert.ok(result.stderr.includes('broken:1') && result.stderr.includes(weights), result.stderr);
      const left = await fs.readdir(out).catch(() => []);
      assert.deepEqual(left, [], 'no volume or signature left behind');
    });
  });
});

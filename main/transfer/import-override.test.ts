import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertRan, enrol, exportRunbookBundle, ferry, ferryAs, flipByte, jsonOf, run, tempDir } from '../testing/cli.js';

describe('overriding a refusal only as the design says (#16 item 9)', () => {
  let work: string;
  let importer: string;
  let bundle: string;
  const restored = () => path.join(work, 'restored');
  const overrideArgs = (dir: string) => [
    'import',
    dir,
    '--to-dir',
    restored(),
    '--override-reason',
    'site A key not yet exchanged; fingerprint read out by phone',
  ];

  before(async () => {
    work = await tempDir('override');
    importer = path.join(work, 'importer');
    bundle = await exportRunbookBundle(work);
    await enrol(importer, [{ name: 'Olga', role: 'security officer' }]);
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  test('an untrusted signer is refused; an override needs a reason and an enrolled officer with the right passphrase', async () => {
    const refused = await ferry(importer, ['import', bundle, '--to-dir', restored()]);
    assert.equal(refused.code, 3, refused.stderr);
    const noOfficer = await ferry(importer, overrideArgs(bundle));
    assert.equal(noOfficer.code, 2);
    assert.match(noOfficer.stderr, /--as NAME --passphrase-stdin/);
    const stranger = await ferryAs(importer, 'Mallory', overrideArgs(bundle));
    assert.equal(stranger.code, 3);
    assert.match(stranger.stderr, /Mallory is not an enrolled person/);
    const wrong = await ferry(importer, [...overrideArgs(bundle), '--as', 'Olga', '--passphrase-stdin'], {}, 'not olgas passphrase\n');
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, /The passphrase for Olga is wrong/);
    await assert.rejects(fs.stat(path.join(restored(), 'runbook.md')), 'nothing imported');
    const overrides = jsonOf(await ferry(importer, ['ledger', 'show', '--type', 'import.override', '--json'])).result.entries;
    assert.equal(overrides.length, 0, 'no override recorded for a refused officer');
  });

  test('with the officer, the bundle imports once; the override is recorded, signed, and checked by VERIFY.sh', async () => {
    assertRan(await ferryAs(importer, 'Olga', overrideArgs(bundle)), 'override');
    assert.equal(await fs.readFile(path.join(restored(), 'runbook.md'), 'utf8'), '# Runbook\n');
    const [override] = jsonOf(await ferry(importer, ['ledger', 'show', '--type', 'import.override', '--json'])).result.entries;
    assert.equal(override.event.reason, 'site A key not yet exchanged; fingerprint read out by phone');
    assert.equal(override.event.operator.name, 'Olga');
    assert.equal(override.event.statement.decision, 'import.override');
    const verified = jsonOf(await ferry(importer, ['ledger', 'show', '--type', 'import.verified', '--json'])).result.entries.at(-1);
    assert.equal(verified.event.signer.trustedKeyFile, `override, ledger line ${override.seq}`);
    const again = await ferry(importer, ['import', bundle, '--to-dir', path.join(work, 'restored-2')]);
    assert.equal(again.code, 3, 'the override does not trust the key for good');
    const kit = path.join(work, 'kit');
    assertRan(await ferry(importer, ['ledger', 'export', '--out', kit]), 'kit');
    const checked = await run('sh', [path.join(kit, 'VERIFY.sh')]);
    assertRan(checked, 'VERIFY.sh');
    assert.match(checked.stdout, /personal signatures {3}2,/);
  });

  test('damaged volumes and a revoked key are never overridden', async () => {
    const damaged = path.join(work, 'damaged');
    await fs.cp(bundle, damaged, { recursive: true });
    const volume = (await fs.readdir(damaged)).find((f) => f.includes('.tar.'))!;
    await flipByte(path.join(damaged, volume), 100);
    const integrity = await ferryAs(importer, 'Olga', ['import', damaged, '--to-dir', path.join(work, 'restored-damaged'), '--override-reason', 'x']);
    assert.equal(integrity.code, 3, integrity.stderr);
    await assert.rejects(fs.stat(path.join(work, 'restored-damaged', 'runbook.md')));

    const pub = path.join(work, 'a.pub.pem');
    assertRan(await ferry(path.join(work, 'exporter'), ['keys', 'export-public', pub]), 'key');
    assertRan(await ferryAs(importer, 'Olga', ['keys', 'trust', pub, '--name', 'Site A']), 'trust: Olga, enrolled here, signs it');
    assertRan(
      await ferryAs(importer, 'Olga', [
        'keys',
        'revoke',
        jsonOf(await ferry(importer, ['keys', 'list', '--json'])).result.keys[0].fingerprint,
        '--reason',
        'lost',
      ]),
      'revoke',
    );
    const revoked = await ferryAs(importer, 'Olga', [...overrideArgs(bundle)]);
    assert.equal(revoked.code, 3);
    assert.match(revoked.stderr, /A revoked key is never overridden/);
  });
});

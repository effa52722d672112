import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { enrol, exportRunbookBundle, ferry, ferryAs, run, tempDir, type RunResult } from '../testing/cli.js';

const json = (r: RunResult) => JSON.parse(r.stdout) as { ok: boolean; result: any; error?: { code: string; message: string } };
const ok = (r: RunResult, what: string) => assert.equal(r.code, 0, `${what}: ${r.stderr}${r.stdout}`);

describe('named, revocable trust (#16 item 3)', () => {
  let work: string;
  let importer: string;
  let bundle: string;
  let publicKey: string;
  let fingerprint: string;

  before(async () => {
    work = await tempDir('trust');
    importer = path.join(work, 'importer');
    bundle = await exportRunbookBundle(work);
    publicKey = path.join(work, 'a.pub.pem');
    const exported = await ferry(path.join(work, 'exporter'), ['keys', 'export-public', publicKey, '--json']);
    ok(exported, 'export the public key');
    fingerprint = json(exported).result.fingerprint;
    await enrol(importer, [{ name: 'Olga', role: 'security officer' }]);
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  test('before anyone is enrolled, the operator trusts a key as the ledger records; keys list says whose, when and by whom', async () => {
    const freshSite = path.join(work, 'fresh-site');
    ok(await ferry(freshSite, ['keys', 'trust', publicKey, '--name', 'Site A staging, Oslo'], { FERRY_OPERATOR: 'Erin' }), 'trust');
    const [listed] = json(await ferry(freshSite, ['keys', 'list', '--json'])).result.keys;
    assert.equal(listed.trustedBy.name, 'Erin');
    assert.equal(listed.name, 'Site A staging, Oslo');
    ok(await ferry(freshSite, ['verify', bundle]), 'a bundle it signed verifies');
  });

  test('once people are enrolled, trusting a key is signed by one of them: unsigned or by a stranger it is refused and nothing is pinned', async () => {
    const unsigned = await ferry(importer, ['keys', 'trust', publicKey, '--name', 'Site A staging, Oslo'], { FERRY_OPERATOR: 'Erin' });
    assert.equal(unsigned.code, 2, unsigned.stderr);
    assert.match(unsigned.stderr, /People are enrolled at this site, so an enrolled person signs each key trusted: add --as NAME --passphrase-stdin/);
    const stranger = await ferryAs(importer, 'Mallory', ['keys', 'trust', publicKey, '--json']);
    assert.equal(stranger.code, 3, 'only an enrolled person trusts a key');
    assert.equal(json(stranger).error?.code, 'REFUSED');
    assert.deepEqual(json(await ferry(importer, ['keys', 'list', '--json'])).result.keys, [], 'nothing was pinned');
    assert.equal((await ferry(importer, ['verify', bundle])).code, 3, 'its bundles are still untrusted');
  });

  test('a key is trusted with the name of whose it is, signed by an enrolled person; keys list says whose, when and by whom', async () => {
    ok(await ferryAs(importer, 'Olga', ['keys', 'trust', publicKey, '--name', 'Site A staging, Oslo']), 'trust');
    const listed = json(await ferry(importer, ['keys', 'list', '--json'])).result.keys;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].fingerprint, fingerprint);
    assert.equal(listed[0].name, 'Site A staging, Oslo');
    assert.equal(listed[0].trustedBy.name, 'Olga');
    assert.ok(Date.parse(listed[0].trustedAt) > 0);
    assert.equal(listed[0].revoked, undefined);
    const [trusted] = json(await ferry(importer, ['ledger', 'show', '--type', 'key.trusted', '--json'])).result.entries;
    assert.equal(trusted.event.statement.decision, 'key.trust');
    assert.deepEqual(trusted.event.statement.subject, { key: fingerprint, name: 'Site A staging, Oslo' });
    assert.equal(trusted.event.operator.name, 'Olga');
    const text = (await ferry(importer, ['keys', 'list'])).stdout;
    assert.match(text, new RegExp(`trusted  ${fingerprint.slice(0, 4)} ${fingerprint.slice(4, 8)} .* Site A staging, Oslo`));
    ok(await ferry(importer, ['verify', bundle]), 'a bundle it signed verifies');
    // The auditor checks Olga's signature with openssl alone, as for every signed decision.
    const kit = path.join(work, 'kit-after-trust');
    ok(await ferry(importer, ['ledger', 'export', '--out', kit]), 'the auditor kit');
    await fs.access(path.join(kit, 'signatures', `${trusted.seq}.json`));
    ok(await run('sh', ['VERIFY.sh'], { cwd: kit }), 'VERIFY.sh');
  });

  test('revoking needs a reason and a signature by an enrolled person; an unknown key is named; once revoked, its bundles are refused (exit 3) naming the revocation, even with --trust', async () => {
    const noReason = await ferryAs(importer, 'Olga', ['keys', 'revoke', fingerprint]);
    assert.equal(noReason.code, 2, noReason.stderr);
    assert.match(noReason.stderr, /--reason TEXT/);
    const unsigned = await ferry(importer, ['keys', 'revoke', fingerprint, '--reason', 'x']);
    assert.equal(unsigned.code, 2, 'a revocation says who decides');
    assert.match(unsigned.stderr, /--as NAME --passphrase-stdin/);
    const stranger = await ferryAs(importer, 'Mallory', ['keys', 'revoke', fingerprint, '--reason', 'x', '--json']);
    assert.equal(stranger.code, 3, 'only an enrolled person revokes');
    assert.equal(json(stranger).error?.code, 'REFUSED');
    const unknown = await ferryAs(importer, 'Olga', ['keys', 'revoke', 'abcdef012345', '--reason', 'x', '--json']);
    assert.equal(unknown.code, 1);
    assert.equal(json(unknown).error?.code, 'NOT_FOUND');

    const revoked = await ferryAs(importer, 'Olga', ['keys', 'revoke', fingerprint.slice(0, 12), '--reason', 'laptop stolen 2026-12-01']);
    ok(revoked, 'revoke by a prefix of the fingerprint');
    const events = json(await ferry(importer, ['ledger', 'show', '--type', 'key.revoked', '--json'])).result.entries;
    assert.deepEqual(
      events.map((e: { event: Record<string, any> }) => [e.event.fingerprint, e.event.reason, e.event.name, e.event.operator.name, e.event.statement.decision]),
      [[fingerprint, 'laptop stolen 2026-12-01', 'Site A staging, Oslo', 'Olga', 'key.revoke']],
    );

    const listed = json(await ferry(importer, ['keys', 'list', '--json'])).result.keys;
    assert.equal(listed.length, 1, 'a revoked key is still listed');
    assert.equal(listed[0].revoked.reason, 'laptop stolen 2026-12-01');
    assert.equal(listed[0].revoked.by.name, 'Olga');
    assert.equal(listed[0].file, undefined, 'no longer pinned');

    for (const args of [
      ['verify', bundle],
      ['import', bundle, '--to-dir', path.join(work, 'out')],
      ['verify', bundle, '--trust', publicKey],
    ]) {
      const refused = await ferry(importer, args);
      assert.equal(refused.code, 3, `${args.join(' ')}: ${refused.stderr}${refused.stdout}`);
      assert.match(
        `${refused.stdout}${refused.stderr}`,
        new RegExp(`signed by ${fingerprint} \\(Site A staging, Oslo\\), whose trust was revoked at .* by Olga: laptop stolen 2026-12-01`),
      );
    }
    await assert.rejects(fs.stat(path.join(work, 'out', 'runbook.md')), 'nothing imported');
    // The wizard tells a revoked key from one never trusted (and offers no "Trust this key" for it).
    const refusal = json(await ferry(importer, ['import', bundle, '--to-dir', path.join(work, 'out'), '--json'])).error as {
      details?: Record<string, unknown>;
    };
    assert.equal(refusal.details?.revoked, true);
    // The disc loop too: a disc signed with the revoked key is refused as revoked, not as a key never trusted.
    const disc = json(await ferry(importer, ['stage', '--from', bundle, '--to', path.join(work, 'staging-revoked'), '--json'])).error as {
      code: string;
      details?: Record<string, unknown>;
    };
    assert.equal(disc.code, 'UNTRUSTED');
    assert.equal(disc.details?.revoked, true);
    ok(await ferry(importer, ['ledger', 'verify']), 'the ledger stays intact');
  });
});

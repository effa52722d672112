import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertRan, enrol, ferry, ferryAs, jsonOf, passphraseOf, run, type RunResult, tempDir } from '../testing/cli.js';

const refused = (r: RunResult, what: string, message: RegExp) => {
  assert.equal(r.code, 3, `${what}: ${r.stderr}${r.stdout}`);
  assert.match(r.stderr, message, what);
};

describe('people with personal keys; the two-person rule binds (#16 items 1 and 2)', () => {
  let work: string;
  let site: string;
  let runbook: string;
  const exportArgs = () => ['export', '--file', runbook, '--out', path.join(work, 'bundle'), '--json'];
  const ruleOn = async () => jsonOf(await ferry(site, ['approval', 'rule', '--json'])).result.enabled as boolean;

  before(async () => {
    work = await tempDir('people');
    site = path.join(work, 'site');
    runbook = path.join(work, 'runbook.md');
    await fs.writeFile(runbook, '# Runbook\n');
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  test('a person is enrolled with a key sealed by their passphrase, which openssl opens; the rule needs two people', async () => {
    const short = await ferry(site, ['people', 'add', 'Alice', '--role', 'operator', '--passphrase-stdin'], {}, 'short\n');
    assert.equal(short.code, 2, 'a passphrase of fewer than 8 characters is refused');
    const noSecret = await ferry(site, ['people', 'add', 'Alice', '--role', 'operator']);
    assert.equal(noSecret.code, 2);
    assert.match(noSecret.stderr, /--passphrase-stdin \(never as an argument\)/);
    await enrol(site, [{ name: 'Alice', role: 'operator' }]);
    refused(
      await ferryAs(site, 'Alice', ['approval', 'rule', 'on']),
      'one person cannot turn the rule on',
      /needs two enrolled people, and only Alice is enrolled/,
    );
    await enrol(site, [{ name: 'Bob', role: 'security officer' }]);
    const twice = await ferry(site, ['people', 'add', 'bob', '--role', 'x', '--passphrase-stdin'], {}, 'another passphrase\n');
    assert.equal(twice.code, 2, 'a name is enrolled once');

    const people = jsonOf(await ferry(site, ['people', 'list', '--json'])).result.people;
    assert.deepEqual(
      people.map((p: any) => [p.name, p.role, p.enrolledBy.name]),
      [
        ['Alice', 'operator', 'Alice'],
        ['Bob', 'security officer', 'Bob'],
      ],
    );
    const sealed = path.join(site, 'people', `${people[0].fingerprint}.key.pem`);
    assert.equal((await fs.stat(sealed)).mode & 0o777, 0o600);
    assert.match(await fs.readFile(sealed, 'utf8'), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const opened = await run('openssl', ['pkey', '-in', sealed, '-pubout', '-passin', `pass:${passphraseOf('Alice')}`]);
    assertRan(opened, 'openssl opens the sealed key with the passphrase');
    const fingerprint = await run('sh', ['-c', 'openssl pkey -pubin -outform DER | sha256sum'], { input: opened.stdout });
    assert.equal(fingerprint.stdout.split(' ')[0], people[0].fingerprint, 'the fingerprint is the sha256 of the SPKI DER');
    assert.notEqual((await run('openssl', ['pkey', '-in', sealed, '-passin', 'pass:wrong passphrase'])).code, 0, 'and not without it');

    assertRan(await ferryAs(site, 'Alice', ['approval', 'rule', 'on']), 'rule on, signed by Alice');
    assert.equal(await ruleOn(), true);
  });

  test('with the rule on, an enrolment needs a second person; the rule cannot be switched off by one person', async () => {
    refused(
      await ferry(site, ['people', 'add', 'Carol', '--role', 'courier', '--passphrase-stdin'], {}, 'carol passphrase\n'),
      'an unsponsored enrolment',
      /an enrolled person other than Carol signs the enrolment/,
    );
    const sponsored = await ferry(
      site,
      ['people', 'add', 'Carol', '--role', 'courier', '--passphrase-stdin', '--as', 'Bob', '--json'],
      {},
      `${passphraseOf('Carol')}\n${passphraseOf('Bob')}\n`,
    );
    assertRan(sponsored, 'Bob sponsors Carol');
    assert.equal(jsonOf(sponsored).result.enrolledBy.name, 'Bob');

    const asked = await ferryAs(site, 'Alice', ['approval', 'rule', 'off', '--json']);
    assertRan(asked, 'Alice asks');
    assert.equal(jsonOf(asked).result.request.status, 'pending');
    assertRan(await ferryAs(site, 'Alice', ['approval', 'rule', 'off']), 'Alice asking again');
    assert.equal(await ruleOn(), true, 'one person cannot switch the rule off');
    const listed = jsonOf(await ferry(site, ['approval', 'list', '--json'])).result.requests;
    assert.deepEqual(
      listed.map((r: any) => [r.kind, r.status, r.requester.name]),
      [['two-person-rule', 'pending', 'Alice']],
    );
    refused(
      await ferryAs(site, 'Alice', ['approval', 'approve', listed[0].id]),
      'the requester approving',
      /Alice asked for this change and cannot also approve it/,
    );
    assertRan(await ferryAs(site, 'Carol', ['approval', 'reject', listed[0].id, '--reason', 'not during the audit']), 'Carol rejects');
    assert.equal(await ruleOn(), true);
    assertRan(await ferryAs(site, 'Alice', ['approval', 'rule', 'off']), 'Alice asks again');
    assertRan(await ferryAs(site, 'Bob', ['approval', 'rule', 'off']), 'Bob approves by asking for the same');
    assert.equal(await ruleOn(), false);
    assertRan(await ferryAs(site, 'Bob', ['approval', 'rule', 'on']), 'back on');
  });

  test('an approval is refused for an unknown person, the requester and a wrong passphrase (exit 3), and signed by the approver', async () => {
    assert.equal((await ferry(site, exportArgs(), { FERRY_OPERATOR: 'Alice' })).code, 1, 'the export waits');
    const id = jsonOf(await ferry(site, ['approval', 'list', '--json'])).result.requests[0].id;
    refused(await ferryAs(site, 'Mallory', ['approval', 'approve', id]), 'an unknown person', /Mallory is not an enrolled person/);
    refused(await ferryAs(site, 'alice', ['approval', 'approve', id]), 'the requester', /alice requested this export and cannot also approve/);
    refused(
      await ferry(site, ['approval', 'approve', id, '--as', 'Bob', '--passphrase-stdin'], {}, 'not bobs passphrase\n'),
      'a wrong passphrase',
      /The passphrase for Bob is wrong/,
    );
    const none = await ferry(site, ['approval', 'approve', id]);
    assert.equal(none.code, 2, 'an approval says who decides');
    assertRan(await ferryAs(site, 'Bob', ['approval', 'approve', id]), 'Bob approves');
    assertRan(await ferry(site, exportArgs(), { FERRY_OPERATOR: 'Alice' }), 'the approved export');
  });

  test("the auditor's kit carries every enrolled key; each signature verifies with openssl alone, and VERIFY.sh catches an altered one", async () => {
    const kit = path.join(work, 'kit');
    assertRan(await ferry(site, ['ledger', 'export', '--out', kit]), 'ledger export');
    const lines = (await fs.readFile(path.join(kit, 'ledger.tsv'), 'utf8')).trimEnd().split('\n');
    const approval = lines.find((l) => l.includes('"type":"export.approved"'))!;
    const seq = approval.split('\t')[0]!;
    const event = JSON.parse(approval.split('\t')[2]!);
    assert.equal(event.statement.decision, 'export.approve');
    assert.equal(event.statement.person.name, 'Bob');
    const statement = await fs.readFile(path.join(kit, 'signatures', `${seq}.json`), 'utf8');
    assert.ok(approval.includes(`"statement":${statement}`), 'the statement file is the statement the line holds, byte for byte');
    const key = path.join(kit, 'people', `${event.signer}.pub.pem`);
    const verified = await run('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      key,
      '-signature',
      path.join(kit, 'signatures', `${seq}.sig`),
      path.join(kit, 'signatures', `${seq}.json`),
    ]);
    assertRan(verified, 'openssl verifies the approval');
    assert.match(verified.stdout, /Verified OK/);
    const b64 = await run('openssl', ['base64', '-A', '-in', path.join(kit, 'signatures', `${seq}.sig`)]);
    assert.equal(b64.stdout, event.signature, 'the .sig file is the signature the line holds');

    const checked = await run('sh', [path.join(kit, 'VERIFY.sh')]);
    assertRan(checked, 'VERIFY.sh');
    const signedLines = lines.filter((l) => l.includes('"statement":{')).length;
    assert.ok(signedLines >= 10);
    assert.match(checked.stdout, new RegExp(`personal signatures   ${signedLines}, each checked with openssl`));

    const altered = path.join(work, 'kit-altered');
    await fs.cp(kit, altered, { recursive: true });
    await fs.writeFile(path.join(altered, 'signatures', `${seq}.json`), statement.replace('"name":"Bob"', '"name":"Eve"'));
    const caught = await run('sh', [path.join(altered, 'VERIFY.sh')]);
    assert.equal(caught.code, 1);
    assert.match(caught.stdout, new RegExp(`FAIL line ${seq}: signatures/${seq}.json is not the statement the line holds`));

    const forged = path.join(work, 'kit-forged');
    await fs.cp(kit, forged, { recursive: true });
    const other = lines.find((l) => l.includes('"type":"settings.changed"'))!.split('\t')[0]!;
    await fs.copyFile(path.join(forged, 'signatures', `${other}.sig`), path.join(forged, 'signatures', `${seq}.sig`));
    const caughtForged = await run('sh', [path.join(forged, 'VERIFY.sh')]);
    assert.equal(caughtForged.code, 1);
    assert.match(caughtForged.stdout, new RegExp(`FAIL line ${seq}: signatures/${seq}.sig is not the signature the line holds`));

    const swapped = path.join(work, 'kit-swapped');
    await fs.cp(kit, swapped, { recursive: true });
    const keys = (await fs.readdir(path.join(swapped, 'people'))).filter((f) => f.endsWith('.pub.pem'));
    const stranger = keys.find((f) => f !== `${event.signer}.pub.pem`)!;
    await fs.copyFile(path.join(swapped, 'people', stranger), path.join(swapped, 'people', `${event.signer}.pub.pem`));
    const caughtSwapped = await run('sh', [path.join(swapped, 'VERIFY.sh')]);
    assert.equal(caughtSwapped.code, 1);
    assert.match(caughtSwapped.stdout, new RegExp(`FAIL line \\d+: people/${event.signer}.pub.pem is another key`));
  });

  test('removing a person is signed by someone else while the rule is on; a removed person decides nothing', async () => {
    refused(
      await ferryAs(site, 'Carol', ['people', 'remove', 'Carol', '--reason', 'left']),
      'removing oneself',
      /someone other than Carol signs their removal/,
    );
    assertRan(await ferryAs(site, 'Bob', ['people', 'remove', 'Carol', '--reason', 'contract ended']), 'Bob removes Carol');
    refused(
      await ferryAs(site, 'Alice', ['people', 'remove', 'Bob', '--reason', 'x']),
      'the rule needs two people',
      /needs two enrolled people: enrol someone else before removing Bob/,
    );
    refused(await ferryAs(site, 'Carol', ['approval', 'rule', 'off']), 'a removed person', /Carol is not an enrolled person/);
    await assert.rejects(fs.stat(path.join(site, 'people', `${jsonOf(await ferry(site, ['people', 'list', '--json'])).result.people[2].fingerprint}.key.pem`)));
    const kit = path.join(work, 'kit-2');
    assertRan(await ferry(site, ['ledger', 'export', '--out', kit]), 'ledger export');
    assertRan(await run('sh', [path.join(kit, 'VERIFY.sh')]), 'the removal verifies too');
  });
});

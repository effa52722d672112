import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseLedgerEvent } from '../../shared/ledger-events.js';
import { splitLine } from '../ledger/chain.js';
import { Ledger, ledgerPath } from '../ledger/ledger.js';
import { enrol, ferry, ferryAs, flipByte, tempDir, type RunResult } from '../testing/cli.js';

const json = (r: RunResult) => JSON.parse(r.stdout) as { ok: boolean; result: any; error?: { code: string; message: string } };
const ok = (r: RunResult, what: string) => assert.equal(r.code, 0, `${what}: ${r.stderr}${r.stdout}`);
type Entry = { seq: number; event: Record<string, any> };
const events = async (home: string, ...filters: string[]): Promise<Entry[]> => json(await ferry(home, ['ledger', 'show', '--json', ...filters])).result.entries;

describe('chain of custody: two-person rule, media, handoffs, disposition, review, reconciliation', () => {
  let work: string;
  let exporter: string;
  let importer: string;
  let files: string;
  const exportArgs = (out: string) => [
    'export',
    '--file',
    path.join(files, 'runbook.md'),
    '--file',
    path.join(files, 'weights.bin'),
    '--out',
    out,
    '--volume-size',
    '1MiB',
    '--json',
  ];

  before(async () => {
    work = await tempDir('custody');
    exporter = path.join(work, 'site-a');
    importer = path.join(work, 'site-b');
    files = path.join(work, 'files');
    await fs.mkdir(files);
    await fs.writeFile(path.join(files, 'runbook.md'), '# Runbook\n');
    await fs.writeFile(path.join(files, 'weights.bin'), Buffer.alloc(2560 * 1024, 7));
    ok(await ferry(exporter, ['keys', 'export-public', path.join(work, 'a.pub.pem')]), 'export public key');
    ok(await ferry(importer, ['keys', 'trust', path.join(work, 'a.pub.pem')]), 'trust');
    await enrol(exporter, [
      { name: 'Alice', role: 'operator' },
      { name: 'Bob', role: 'security officer' },
    ]);
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  let bundle: string;
  const bundleDir = () => path.join(work, 'b1');

  test('the two-person rule blocks an export until an enrolled second person approves exactly it, signed', async () => {
    ok(await ferryAs(exporter, 'Alice', ['approval', 'rule', 'on']), 'rule on');
    const blocked = await ferry(exporter, exportArgs(bundleDir()), { FERRY_OPERATOR: 'Alice' });
    assert.equal(blocked.code, 1, blocked.stderr);
    assert.equal(json(blocked).error?.code, 'APPROVAL');
    await assert.rejects(fs.stat(bundleDir()), 'nothing is written while the export waits');
    const again = await ferry(exporter, exportArgs(bundleDir()), { FERRY_OPERATOR: 'Alice' });
    assert.equal(again.code, 1);
    const pending = json(await ferry(exporter, ['approval', 'list', '--json'])).result.requests;
    assert.equal(pending.length, 1, 'running the same export again does not ask twice');
    assert.equal(pending[0].status, 'pending');
    assert.equal(pending[0].requester.name, 'Alice');
    assert.equal(pending[0].artifacts.length, 2);
    const id = pending[0].id;

    const self = await ferryAs(exporter, 'Alice', ['approval', 'approve', id, '--json']);
    assert.equal(self.code, 3, 'the requester cannot approve');
    assert.equal(json(self).error?.code, 'REFUSED');
    assert.match(json(self).error!.message, /requested this export and cannot also approve/);

    ok(await ferryAs(exporter, 'Bob', ['approval', 'approve', id]), 'approve');
    const twice = await ferryAs(exporter, 'Alice', ['approval', 'reject', id, '--reason', 'changed my mind']);
    assert.equal(twice.code, 1, 'a decision is recorded once');

    const exported = await ferry(exporter, exportArgs(bundleDir()), { FERRY_OPERATOR: 'Alice' });
    ok(exported, 'approved export');
    bundle = json(exported).result.bundleDigest;
    const approved = (await events(exporter, '--type', 'export.approved'))[0]!;
    assert.deepEqual(approved.event.operator, { name: 'Bob', role: 'security officer' });
    const started = (await events(exporter, '--type', 'export.started')).at(-1)!;
    assert.equal(started.event.job, id);
    assert.equal(started.event.approvedBy.name, 'Bob');
    assert.equal(started.event.approval, approved.seq);
    const index = JSON.parse(await fs.readFile(path.join(bundleDir(), 'BUNDLE.json'), 'utf8'));
    assert.ok(
      index.ledger.lines.some((l: string) => l.includes('"type":"export.approved"')),
      'the bundle carries the approval',
    );

    const reused = await ferry(exporter, [...exportArgs(path.join(work, 'b1-again')), '--approval', id], { FERRY_OPERATOR: 'Alice' });
    assert.equal(reused.code, 1, 'an approval covers one export');
    assert.match(json(reused).error!.message, /already carried out/);
  });

  test('content changed after approval is refused; a rejection is final', async () => {
    const out = path.join(work, 'b-changed');
    assert.equal((await ferry(exporter, exportArgs(out), { FERRY_OPERATOR: 'Alice' })).code, 1);
    const id = json(await ferry(exporter, ['approval', 'list', '--json'])).result.requests[0].id;
    ok(await ferryAs(exporter, 'Bob', ['approval', 'approve', id]), 'approve');
    await fs.writeFile(path.join(files, 'runbook.md'), '# Runbook, edited after approval\n');
    const refused = await ferry(exporter, [...exportArgs(out), '--approval', id], { FERRY_OPERATOR: 'Alice' });
    assert.equal(refused.code, 1);
    assert.match(json(refused).error!.message, /runbook\.md.*content changed since approval/s);
    await assert.rejects(fs.stat(out));

    assert.equal((await ferry(exporter, exportArgs(out), { FERRY_OPERATOR: 'Alice' })).code, 1, 'the changed content asks again');
    const fresh = json(await ferry(exporter, ['approval', 'list', '--json'])).result.requests.find((r: { status: string }) => r.status === 'pending');
    assert.ok(fresh, 'a new request waits');
    const noReason = await ferryAs(exporter, 'Bob', ['approval', 'reject', fresh.id]);
    assert.equal(noReason.code, 2, 'a rejection says why');
    ok(await ferryAs(exporter, 'Bob', ['approval', 'reject', fresh.id, '--reason', 'not on the transfer plan']), 'reject');
    const afterReject = await ferry(exporter, [...exportArgs(out), '--approval', fresh.id], { FERRY_OPERATOR: 'Alice' });
    assert.match(json(afterReject).error!.message, /rejected by Bob: not on the transfer plan/);
    await fs.writeFile(path.join(files, 'runbook.md'), '# Runbook\n');
    ok(await ferryAs(exporter, 'Alice', ['approval', 'rule', 'off']), 'rule off asked');
    ok(await ferryAs(exporter, 'Bob', ['approval', 'rule', 'off']), 'rule off approved');
    assert.equal((await events(exporter, '--type', 'settings.changed')).length, 2, 'both changes of the rule are recorded');
  });

  test('media verify reads every volume back, records media.written and media.verified, and exits 3 on a mismatch', async () => {
    const notReadBack = async () =>
      json(await ferry(exporter, ['ledger', 'flags', '--json'])).result.flags.filter((f: { kind: string }) => f.kind === 'media-not-read-back');
    const before = await notReadBack();
    assert.deepEqual(
      before.map((f: { bundle: string; severity: string }) => [f.bundle, f.severity]),
      [[bundle, 'warning']],
      'an export whose media were never read back is flagged',
    );
    assert.match(before[0].message, /none of its media was read back\. Read each medium back before it leaves/);
    const read = await ferry(exporter, [
      'media',
      'verify',
      bundleDir(),
      '--media-id',
      'USB-0042',
      '--label',
      'Models Nov',
      '--type',
      'usb',
      '--seal',
      'S-1001',
      '--json',
    ]);
    ok(read, 'media verify');
    const result = json(read).result;
    assert.equal(result.ok, true);
    assert.deepEqual(await notReadBack(), [], 'a read-back of the bundle clears it');
    assert.equal(result.volumes.length, 3);
    assert.ok(result.volumes.every((v: { status: string; actual: string; expected: string }) => v.status === 'ok' && v.actual === v.expected));
    const written = await events(exporter, '--type', 'media.written');
    assert.equal(written.length, 1);
    assert.deepEqual(written[0]!.event.medium, { id: 'USB-0042', label: 'Models Nov', type: 'usb', seal: 'S-1001' });
    assert.deepEqual(written[0]!.event.volumes, ['b1.tar.001', 'b1.tar.002', 'b1.tar.003']);

    const disc = path.join(work, 'disc2');
    await fs.mkdir(disc);
    for (const f of ['SHA256SUMS', 'SHA256SUMS.sig', 'BUNDLE.json', 'signer.pub.pem', 'b1.tar.002'])
      await fs.copyFile(path.join(bundleDir(), f), path.join(disc, f));
    await flipByte(path.join(disc, 'b1.tar.002'), 1000);
    const bad = await ferry(exporter, ['media', 'verify', disc, '--media-id', 'DVD-7', '--label', 'Disc 2 of 3', '--type', 'dvd-r', '--json']);
    assert.equal(bad.code, 3, bad.stderr);
    const badResult = json(bad).result;
    assert.equal(badResult.volumes[0].status, 'mismatch');
    assert.deepEqual(badResult.elsewhere, ['b1.tar.001', 'b1.tar.003']);
    const verified = await events(exporter, '--type', 'media.verified', '--media', 'DVD-7');
    assert.equal(verified[0]!.event.result, 'failed');
    const flags = json(await ferry(exporter, ['ledger', 'flags', '--json'])).result.flags;
    assert.ok(flags.some((f: { kind: string; media: string }) => f.kind === 'media-failed' && f.media === 'DVD-7'));

    const usage = await ferry(exporter, ['media', 'verify', bundleDir(), '--media-id', 'X', '--label', 'L', '--type', 'floppy']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--type floppy is not one of/);
  });

  test('handoffs, disposition and review are recorded; the disposition clears its flag', async () => {
    const prefix = bundle.slice(7, 19);
    ok(
      await ferry(exporter, [
        'media',
        'handoff',
        prefix,
        '--from',
        'Alice',
        '--to',
        'Carol',
        '--to-role',
        'courier',
        '--place',
        'Loading dock',
        '--seal-intact',
        'yes',
        '--seal',
        'S-1001',
        '--media-id',
        'USB-0042',
      ]),
      'handoff',
    );
    const handoff = (await events(exporter, '--type', 'custody.handoff'))[0]!;
    assert.equal(handoff.event.bundle, bundle);
    assert.deepEqual(handoff.event.to, { name: 'Carol', role: 'courier' });
    assert.equal(handoff.event.sealIntact, true);
    assert.equal((await ferry(exporter, ['media', 'handoff', prefix, '--from', 'Alice', '--to', 'Carol', '--place', 'x', '--seal-intact', 'maybe'])).code, 2);
    ok(
      await ferry(exporter, [
        'media',
        'handoff',
        prefix,
        '--from',
        'Carol',
        '--to',
        'Dave',
        '--place',
        'Site B gate',
        '--seal-intact',
        'no',
        '--media-id',
        'USB-0042',
        '--notes',
        'tape lifted',
      ]),
      'broken seal',
    );
    const sealFlags = json(await ferry(exporter, ['ledger', 'flags', '--json'])).result.flags.filter((f: { kind: string }) => f.kind === 'seal-broken');
    assert.equal(sealFlags.length, 1);
    assert.match(sealFlags[0].message, /Carol → Dave at Site B gate/);
    assert.equal(
      (await ferry(exporter, ['media', 'handoff', 'abcdef12', '--from', 'A', '--to', 'B', '--place', 'x', '--seal-intact', 'yes'])).code,
      1,
      'an unknown bundle is refused',
    );

    const flagged = () =>
      ferry(exporter, ['ledger', 'flags', '--json']).then((r) =>
        json(r).result.flags.filter((f: { kind: string; media?: string }) => f.kind === 'media-not-dispositioned' && f.media === 'USB-0042'),
      );
    assert.equal((await flagged()).length, 1);
    ok(await ferry(exporter, ['media', 'dispose', prefix, '--media-id', 'USB-0042', '--action', 'sanitized', '--method', 'NIST 800-88 purge']), 'dispose');
    assert.equal((await flagged()).length, 0);
    const witnessed = await ferryAs(exporter, 'Bob', ['media', 'dispose', prefix, '--media-id', 'USB-SPARE', '--action', 'destroyed', '--method', 'shredded']);
    ok(witnessed, 'a disposition witnessed by Bob, signed');
    const disposition = (await events(exporter, '--type', 'media.disposition')).at(-1)!;
    assert.deepEqual(disposition.event.verifiedBy, { name: 'Bob', role: 'security officer' });
    assert.equal(disposition.event.statement.decision, 'media.disposition.witness');
    const accepted = await ferryAs(exporter, 'Alice', ['media', 'handoff', prefix, '--from', 'Dave', '--place', 'Return desk', '--seal-intact', 'yes']);
    ok(accepted, 'Alice accepts a handoff, signed');
    const acceptance = (await events(exporter, '--type', 'custody.handoff')).at(-1)!;
    assert.deepEqual(acceptance.event.to, { name: 'Alice', role: 'operator' });
    assert.equal(acceptance.event.statement.decision, 'custody.accept');
    const notReceiver = await ferryAs(exporter, 'Bob', ['media', 'handoff', prefix, '--from', 'Dave', '--to', 'Alice', '--place', 'x', '--seal-intact', 'yes']);
    assert.equal(notReceiver.code, 2, 'only the receiver accepts');

    const unsigned = await ferry(exporter, ['ledger', 'review', '--result', 'no-findings']);
    assert.equal(unsigned.code, 2, 'a review names and is signed by its reviewer');
    const review = await ferryAs(exporter, 'Bob', ['ledger', 'review', '--result', 'no-findings', '--notes', 'monthly review', '--json']);
    ok(review, 'review');
    const reviewed = json(review).result;
    assert.equal(reviewed.from, 1);
    assert.equal(reviewed.chainOk, true);
    const signed = (await events(exporter, '--type', 'review.signed'))[0]!;
    assert.equal(signed.event.operator.name, 'Bob');
    assert.equal(signed.event.statement.decision, 'review.sign');
    assert.deepEqual(signed.event.range, { from: 1, to: reviewed.to });
    const second = json(await ferryAs(exporter, 'Alice', ['ledger', 'review', '--result', 'findings', '--notes', 'seal photo missing', '--json'])).result;
    assert.equal(second.from, reviewed.to + 1, 'the next review starts where the last ended');
    assert.equal((await ferryAs(exporter, 'Alice', ['ledger', 'review', '--result', 'findings'])).code, 2, 'findings need notes');

    const report = json(await ferry(exporter, ['ledger', 'report', prefix, '--json'])).result;
    const stages = new Set(report.steps.map((s: { stage: string }) => s.stage));
    for (const stage of ['request', 'approval', 'export', 'media', 'custody', 'disposition', 'checkpoint'])
      assert.ok(stages.has(stage), `the report shows ${stage}`);
    const medium = report.media.find((m: { id: string }) => m.id === 'USB-0042');
    assert.equal(medium.verified, 'ok');
    assert.match(medium.disposition, /sanitized/);
    assert.equal((await ferry(exporter, ['ledger', 'verify'])).code, 0);
  });

  test('the receiving gate records the arrival handoff before the import, by the full digest; a prefix it does not know is still refused', async () => {
    const gate = ['--from', 'Carol', '--to', 'Erin', '--to-role', 'gate officer', '--place', 'Site B gate', '--seal-intact', 'yes', '--seal', 'S-1'];
    const unknownPrefix = await ferry(importer, ['media', 'handoff', bundle.slice(7, 19), ...gate, '--json']);
    assert.equal(unknownPrefix.code, 1, unknownPrefix.stderr);
    assert.equal(json(unknownPrefix).error?.code, 'NOT_FOUND');
    assert.match(unknownPrefix.stderr, /give its full digest \(sha256: and 64 hex characters, printed on the transfer form\)/);

    const arrival = await ferry(importer, ['media', 'handoff', bundle.slice(7).toUpperCase(), ...gate, '--media-id', 'USB-0042']);
    ok(arrival, 'arrival by the bare 64 hex digits');
    assert.match(arrival.stdout, /This ledger does not know the bundle yet: the handoff joins its chain of custody when it is imported/);
    const recorded = (await events(importer, '--type', 'custody.handoff'))[0]!;
    assert.equal(recorded.event.bundle, bundle, 'recorded by its canonical digest');
    assert.equal(recorded.event.sealIntact, true);
    const listed = json(await ferry(importer, ['ledger', 'bundles', '--json'])).result.bundles;
    assert.deepEqual(
      listed.map((b: { bundle: string; side: string }) => [b.bundle, b.side]),
      [[bundle, 'arriving']],
    );
    const again = json(await ferry(importer, ['media', 'handoff', bundle.slice(7, 19), ...gate, '--json'])).result;
    assert.equal(again.arrival, false, 'once recorded, the bundle is known to this ledger by its prefix too');
  });

  test('the far side records the exporter checkpoint and shows the carried approval; a gap in previousBundle is flagged', async () => {
    ok(await ferry(importer, ['import', bundleDir(), '--to-dir', path.join(work, 'in-1'), '--operator', 'Dave']), 'import b1');
    const b2 = path.join(work, 'b2');
    const b3 = path.join(work, 'b3');
    ok(await ferry(exporter, [...exportArgs(b2), '--name', 'b2']), 'export b2');
    const third = await ferry(exporter, [...exportArgs(b3), '--name', 'b3']);
    ok(third, 'export b3');
    ok(await ferry(importer, ['import', b3, '--to-dir', path.join(work, 'in-3')]), 'import b3, skipping b2');

    const verified = await events(importer, '--type', 'import.verified');
    const index = JSON.parse(await fs.readFile(path.join(bundleDir(), 'BUNDLE.json'), 'utf8'));
    assert.equal(verified[0]!.event.exporter.checkpoint, index.ledger.checkpoint);
    assert.equal(verified[0]!.event.exporter.checkpointValid, true);

    const report = json(await ferry(importer, ['ledger', 'report', bundle, '--json'])).result;
    const approval = report.steps.find((s: { type: string }) => s.type === 'export.approved');
    assert.equal(approval.origin, 'exporter');
    assert.equal(approval.operator.name, 'Bob');
    assert.ok(report.steps.some((s: { type: string; origin: string }) => s.type === 'import.completed' && s.origin === 'here'));
    assert.equal(report.exporterCheckpoint.valid, true);
    const handoffs = report.steps.filter((s: { type: string }) => s.type === 'custody.handoff');
    assert.equal(handoffs.length, 2, 'the arrival handoffs recorded before the import are in the chain of custody');
    assert.ok(report.steps.indexOf(handoffs[0]) < report.steps.findIndex((s: { type: string }) => s.type === 'import.verified'));
    const side = json(await ferry(importer, ['ledger', 'bundles', '--json'])).result.bundles.find((b: { bundle: string }) => b.bundle === bundle).side;
    assert.equal(side, 'import');

    const b2Digest = JSON.parse(await fs.readFile(path.join(b3, 'BUNDLE.json'), 'utf8')).previousBundle;
    const flags = json(await ferry(importer, ['ledger', 'flags', '--json'])).result.flags;
    const missing = flags.filter((f: { kind: string }) => f.kind === 'missing-bundle');
    assert.equal(missing.length, 1, JSON.stringify(flags));
    assert.match(missing[0].message, new RegExp(b2Digest.slice(0, 19)));

    const kit = path.join(work, 'kit-a');
    ok(await ferry(exporter, ['ledger', 'export', '--out', kit]), 'kit');
    const across = json(await ferry(importer, ['ledger', 'flags', '--with', kit, '--json'])).result.flags;
    const notImported = across.filter((f: { kind: string }) => f.kind === 'not-imported').map((f: { bundle: string }) => f.bundle);
    assert.deepEqual(notImported, [b2Digest]);

    const tsv = path.join(kit, 'ledger.tsv');
    const lines = (await fs.readFile(tsv, 'utf8')).split('\n');
    await fs.writeFile(tsv, [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n'));
    const tampered = await ferry(importer, ['ledger', 'flags', '--with', kit]);
    assert.equal(tampered.code, 3, 'a kit whose chain is broken is refused, not reconciled');
    assert.match(tampered.stderr, /line 2: the hash chain is broken/);
  });

  test('every line both ledgers hold parses as one of the typed ledger events', () => {
    const seen = new Set<string>();
    for (const home of [exporter, importer]) {
      const ledger = Ledger.open(ledgerPath(home), { operator: { name: 'Auditor' } });
      try {
        for (const line of ledger.lines()) {
          const parsed = parseLedgerEvent(JSON.parse(splitLine(line)!.json));
          assert.ok(parsed.ok, `${home}: ${parsed.ok ? '' : parsed.problem}\n${line}`);
          seen.add(parsed.event.type);
        }
      } finally {
        ledger.close();
      }
    }
    const expected = [
      'ledger.created',
      'key.created',
      'key.trusted',
      'settings.changed',
      'export.requested',
      'export.approved',
      'export.rejected',
      'export.started',
      'export.completed',
      'checkpoint',
      'media.written',
      'media.verified',
      'custody.handoff',
      'media.disposition',
      'review.signed',
      'import.verified',
      'import.started',
      'import.completed',
      'ledger.exported',
    ];
    assert.deepEqual(
      expected.filter((type) => !seen.has(type)),
      [],
      `types seen: ${[...seen].join(', ')}`,
    );
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHost, type Host } from '../host/server.js';
import { tempDir } from '../testing/cli.js';
import { loginToHost, WsRpc } from '../testing/ws-client.js';

describe('the wizard’s custody calls over the browser host: approval, media read-back, handoff, disposition, report, kit', () => {
  let work: string;
  let host: Host;
  let rpc: WsRpc;
  let files: string;
  let destination: string;
  let bundle: string;

  const call = async (method: string, params: unknown = {}) => {
    const r = await rpc.call(method, params);
    assert.ok(r.ok, `${method}: ${r.error?.code} ${r.error?.message}`);
    return r.result;
  };
  const finished = async (id: string) => (await rpc.waitFor((e) => e.data.id === id && e.data.state !== 'running')).data;
  const request = () => ({ files: [path.join(files, 'notes.txt')], volumeSize: 1024 * 1024, destination, name: 'rpc-bundle' });

  before(async () => {
    work = await tempDir('rpc-custody');
    files = path.join(work, 'files');
    destination = path.join(work, 'usb');
    await fs.mkdir(files);
    await fs.mkdir(destination);
    await fs.writeFile(path.join(files, 'notes.txt'), 'carry me\n');
    await fs.mkdir(path.join(work, 'renderer'));
    await fs.writeFile(path.join(work, 'renderer', 'index.html'), '<!doctype html><title>Ferry</title>');
    host = await startHost({ home: path.join(work, 'home'), rendererDir: path.join(work, 'renderer'), browseRoots: [work] });
    const session = await loginToHost(host.url);
    rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
    await call('settings.setOperator', { name: 'Alice', role: 'field engineer' });
    await call('fs.list', { path: work, includeFiles: true });
    await call('fs.list', { path: files, includeFiles: true });
  });
  after(async () => {
    rpc?.close();
    await host?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  test('with the two-person rule on, export.start needs an approval signed by another enrolled person, and carries it out', async () => {
    const alice = { name: 'Alice', passphrase: 'alice passphrase' };
    const bob = { name: 'Bob', passphrase: 'bob passphrase' };
    await call('people.add', { name: 'Alice', role: 'field engineer', passphrase: alice.passphrase });
    await call('people.add', { name: 'Bob', role: 'security officer', passphrase: bob.passphrase });
    assert.deepEqual(await call('approval.rule', { enabled: true, as: alice }), { enabled: true });
    assert.equal((await call('app.info')).twoPersonRule, true);
    const refused = await rpc.call('export.start', request());
    assert.equal(refused.error?.code, 'APPROVAL');

    const asked = await call('approval.request', request());
    assert.equal(asked.status, 'pending');
    assert.equal(asked.requester.name, 'Alice');
    assert.equal(asked.artifacts[0].ref, 'ferry.local/files/notes.txt:latest');
    assert.equal((await call('approval.request', request())).id, asked.id, 'asking twice finds the open request');
    assert.equal((await call('approval.list')).requests.length, 1);

    const self = await rpc.call('approval.decide', { id: asked.id, decision: 'approve', as: { ...alice, name: 'ALICE' } });
    assert.equal(self.error?.code, 'REFUSED');
    const wrong = await rpc.call('approval.decide', { id: asked.id, decision: 'approve', as: { ...bob, passphrase: 'not bob' } });
    assert.equal(wrong.error?.code, 'REFUSED');
    assert.match(wrong.error!.message, /passphrase for Bob is wrong/);
    const approved = await call('approval.decide', { id: asked.id, decision: 'approve', as: bob });
    assert.equal(approved.status, 'approved');
    assert.deepEqual(approved.decidedBy, { name: 'Bob', role: 'security officer' });
    assert.match(approved.signer, /^[0-9a-f]{64}$/);

    const job = await call('export.start', { ...request(), approval: asked.id });
    const done = await finished(job.id);
    assert.equal(done.state, 'completed', JSON.stringify(done.error));
    bundle = done.result.bundleDigest;
    assert.equal((await call('approval.list')).requests[0].status, 'exported');
  });

  test('a changed selection supersedes the open request; only the requester withdraws one', async () => {
    await fs.writeFile(path.join(files, 'extra.txt'), 'and me\n');
    await call('fs.list', { path: files, includeFiles: true });
    const changed = { ...request(), name: 'rpc-second' };
    const first = await call('approval.request', changed);
    const second = await call('approval.request', { ...changed, files: [...changed.files, path.join(files, 'extra.txt')] });
    assert.notEqual(second.id, first.id);
    const states = Object.fromEntries((await call('approval.list')).requests.map((r: { id: string; status: string }) => [r.id, r.status]));
    assert.equal(states[first.id], 'withdrawn');
    assert.equal(states[second.id], 'pending');
    assert.equal(
      (await call('approval.decide', { id: second.id, decision: 'withdraw' })).status,
      'withdrawn',
      'the operator, Alice, withdraws her own request',
    );
    const refused = await rpc.call('export.start', { ...changed, approval: first.id });
    assert.equal(refused.ok, true, 'the job starts and is refused by the engine');
    const done = await finished(refused.result.id);
    assert.equal(done.state, 'failed');
    assert.equal(done.error.code, 'APPROVAL');
    assert.match(done.error.message, /withdrawn/);
  });

  test('media.verify reads the bundle back as a job; handoff and disposition are recorded', async () => {
    const dir = path.join(destination, 'rpc-bundle');
    const job = await call('media.verify', { dir, media: { id: 'USB-7', label: 'Ops USB', type: 'usb', seal: 'S-77' } });
    assert.equal(job.kind, 'media-verify');
    const done = await finished(job.id);
    assert.equal(done.state, 'completed', JSON.stringify(done.error));
    assert.equal(done.result.ok, true);
    assert.equal(done.result.bundleDigest, bundle);

    const notGranted = await rpc.call('media.verify', { dir: '/etc', media: { id: 'X', label: 'X', type: 'usb' } });
    assert.equal(notGranted.ok, false, 'a path the renderer was not handed is refused');

    const handoff = await call('custody.handoff', {
      bundle: bundle.slice(7, 17),
      from: { name: 'Alice' },
      to: { name: 'Carol', role: 'courier' },
      place: 'Gate 3',
      sealIntact: true,
      seal: 'S-77',
      media: ['USB-7'],
    });
    assert.equal(handoff.bundle, bundle);
    const flagsBefore = (await call('ledger.flags')).flags;
    assert.ok(flagsBefore.some((f: { kind: string; media: string }) => f.kind === 'media-not-dispositioned' && f.media === 'USB-7'));
    await call('media.dispose', { bundle, media: 'USB-7', action: 'retained', method: 'locked in safe 2', verifiedBy: { name: 'Bob' } });
    assert.equal((await call('ledger.flags')).flags.length, 0);
  });

  test('the report shows every step; the timeline filters; review and the auditor’s kit are recorded', async () => {
    const report = await call('ledger.report', { bundle });
    assert.deepEqual(
      [...new Set(report.steps.map((s: { stage: string }) => s.stage))],
      ['request', 'approval', 'export', 'checkpoint', 'media', 'custody', 'disposition'],
    );
    assert.equal(report.media[0].seal, 'S-77');
    assert.equal(report.checkpoint, undefined, 'no checkpoint covers the disposition yet');
    const bundles = (await call('ledger.bundles')).bundles;
    assert.equal(bundles[0].bundle, bundle);
    assert.deepEqual(bundles[0].media, ['USB-7']);

    const byMedia = (await call('ledger.list', { media: 'usb-7' })).entries.map((e: { type: string }) => e.type);
    assert.deepEqual(byMedia.sort(), ['custody.handoff', 'media.disposition', 'media.verified', 'media.written']);
    // The person filter finds everyone an event names: Bob was enrolled, approved, is named as the
    // approver of the export's start, and verified the disposition, though he recorded only the approval.
    const byPerson = (await call('ledger.list', { operator: 'bob' })).entries;
    assert.deepEqual(
      byPerson.map((e: { type: string }) => e.type),
      ['media.disposition', 'export.started', 'export.approved', 'person.enrolled'],
    );
    assert.ok(byPerson[2].summary.includes('requested by Alice'));
    assert.equal((await call('ledger.list', { outcome: 'failed' })).entries.length, 0);
    assert.equal((await call('ledger.list', { until: '2000-01-01' })).entries.length, 0);
    assert.equal((await rpc.call('ledger.list', { since: 'yesterday' })).error?.code, 'USAGE');

    const review = await call('ledger.review', { result: 'no-findings', notes: '', as: { name: 'Bob', passphrase: 'bob passphrase' } });
    assert.equal(review.chainOk, true);
    const kit = await call('ledger.exportKit', { destination: work, name: 'kit' });
    assert.ok(kit.files.includes('VERIFY.sh'));
    const covered = (await call('ledger.report', { bundle })).checkpoint;
    assert.equal(covered.count, kit.count, 'the kit’s checkpoint now covers the whole chain of custody');
    assert.equal((await rpc.call('ledger.exportKit', { destination: work, name: '../escape' })).error?.code, 'USAGE');
    assert.equal((await rpc.call('print.pdf', { suggestedName: 'form' })).error?.code, 'USAGE', 'the browser host prints with the browser');
  });
});

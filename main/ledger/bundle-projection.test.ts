import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, test } from 'node:test';
import { bundleSummaries } from '../custody/bundles.js';
import { flagsOfBundle, reconciliationFlags } from '../custody/flags.js';
import { canonicalJson } from '../util/canonical-json.js';
import { tempDir } from '../testing/cli.js';
import { appendUntyped } from '../testing/ledger.js';
import { PROJECTION_TABLES } from './bundle-projection.js';
import { formatLine, ZERO_HASH } from './chain.js';
import { Ledger, ledgerPath } from './ledger.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const [X, B0, B1, B2] = [digest('a'), digest('b'), digest('c'), digest('d')];
const signer = { fingerprint: 'SITE-S' };
const carriedRequest = formatLine(1, ZERO_HASH, canonicalJson({ type: 'export.requested', approvalRequired: true }));

function verified(job: string, bundle: string, previousBundle: string | null, lines: string[]) {
  const exporter = { checkpoint: 'c', checkpointSignature: 's', checkpointValid: true, ledgerId: 'L', lines, previousBundle };
  return { job, dir: '/in', bundle, name: job, signer, volumes: [], exporter };
}

/** Every rule of reconciliation, each raised and (where the ledger allows) cleared by a later line. */
function appendHistory(ledger: Ledger): void {
  const medium = (id: string) => ({ id });
  appendUntyped(ledger, 'settings.changed', { twoPersonRule: true }); // 2
  appendUntyped(ledger, 'export.requested', { job: 'jx', out: '/o', name: 'x', volumeSize: 1, artifacts: [] }); // 3
  appendUntyped(ledger, 'export.started', { job: 'jx', tarSize: 1 }); // 4: the rule is on, no approval
  appendUntyped(ledger, 'export.completed', { job: 'jx', bundle: X, name: 'x', dir: '/o', artifacts: [], volumes: [] }); // 5
  appendUntyped(ledger, 'settings.changed', { twoPersonRule: false }); // 6
  appendUntyped(ledger, 'import.rejected', { job: 'ji1', dir: '/wrong', problems: ['no SHA256SUMS'] }); // 7: no bundle
  appendUntyped(ledger, 'import.rejected', { job: 'ji2', bundle: B1, dir: '/in', signer, problems: ['volume 2'] }); // 8
  appendUntyped(ledger, 'import.verified', verified('ji3', B2, B1, [])); // 9: B1 was seen (refused); no export record
  appendUntyped(ledger, 'import.verified', verified('ji4', B1, B0, [carriedRequest])); // 10: clears 8; B0 missing; not approved
  appendUntyped(ledger, 'media.verified', { bundle: B2, name: 'd', medium: medium('USB-1'), dir: '/m', volumes: [], elsewhere: [], result: 'failed' }); // 11
  appendUntyped(ledger, 'media.verified', { bundle: B2, name: 'd', medium: medium('USB-1'), dir: '/m', volumes: [], elsewhere: [], result: 'ok' }); // 12
  appendUntyped(ledger, 'custody.handoff', {
    bundle: B2,
    from: { name: 'Bo' },
    to: { name: 'Cy' },
    place: 'gate',
    sealIntact: false,
    media: ['USB-1', 'USB-2'],
    notes: '',
  }); // 13
  appendUntyped(ledger, 'media.disposition', { bundle: B2, medium: medium('USB-1'), action: 'destroyed', method: 'shredder', notes: '' }); // 14
  appendUntyped(ledger, 'import.verified', verified('ji5', B0, null, [carriedRequest])); // 15: B0 arrives; approval missing again
}

function projection(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(PROJECTION_TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

/** A fresh ledger holding appendHistory's events. */
async function ledgerWithHistory(name: string): Promise<{ file: string; ledger: Ledger }> {
  const dir = await tempDir(name);
  dirs.push(dir);
  const file = ledgerPath(dir);
  const ledger = Ledger.open(file, { operator: { name: 'Ana Field' } });
  appendHistory(ledger);
  return { file, ledger };
}

test('the bundle state and its flags follow reconciliation in ledger order, and reindex derives them again exactly', async () => {
  const { file, ledger } = await ledgerWithHistory('projection');
  try {
    const page = reconciliationFlags(ledger, { limit: 100, offset: 0 });
    const open = page.flags.map((f) => `${f.seq} ${f.kind} ${f.bundle?.slice(7, 8) ?? '-'} ${f.media ?? '-'}`);
    assert.deepEqual(open, [
      '15 export-not-approved b -',
      '13 media-not-dispositioned d USB-2',
      '13 seal-broken d USB-1',
      '10 export-not-approved c -',
      '9 no-export-record d -',
      '7 import-rejected - -',
      '5 media-not-read-back a -',
      '4 export-not-approved a -',
    ]);
    assert.equal(page.total, 8);
    assert.deepEqual(page.counts, {
      'export-not-approved': 3,
      'media-not-dispositioned': 1,
      'seal-broken': 1,
      'no-export-record': 1,
      'import-rejected': 1,
      'media-not-read-back': 1,
    });
    assert.match(page.flags.find((f) => f.seq === 4)!.message, /while the two-person rule was on/);
    assert.match(page.flags.find((f) => f.seq === 10)!.message, /carries no export.approved line/);
    assert.match(page.flags.find((f) => f.kind === 'import-rejected')!.message, /^Import refused: /);

    const second = reconciliationFlags(ledger, { limit: 3, offset: 3 });
    assert.deepEqual(
      second.flags.map((f) => f.seq),
      [10, 9, 7],
      'pages follow on',
    );
    assert.deepEqual(
      reconciliationFlags(ledger, { limit: 10, offset: 0, kind: 'export-not-approved' }).flags.map((f) => f.seq),
      [15, 10, 4],
    );
    assert.deepEqual(
      flagsOfBundle(ledger, B2).map((f) => `${f.seq} ${f.kind}`),
      ['9 no-export-record', '13 seal-broken', '13 media-not-dispositioned'],
    );

    const bundles = bundleSummaries(ledger, { limit: 10, offset: 0 });
    assert.equal(bundles.total, 4);
    const x = bundles.bundles.find((b) => b.bundle === X)!;
    assert.equal(x.side, 'export');
    assert.equal(x.name, 'x');
    assert.equal(x.firstTime <= x.lastTime, true);
    assert.equal(x.lastType, 'export.completed');
    assert.equal(x.flags, 2, 'the unapproved start, tied to the bundle through its job, and its media never read back');
    const b2 = bundles.bundles.find((b) => b.bundle === B2)!;
    assert.deepEqual(b2.media, ['USB-1', 'USB-2']);
    assert.equal(b2.side, 'import');
    assert.equal(b2.lastType, 'media.disposition');
    assert.equal(bundleSummaries(ledger, { search: 'JI4', limit: 10, offset: 0 }).bundles[0]?.bundle, B1, 'a name, any case');
    assert.deepEqual(
      bundleSummaries(ledger, { search: 'sha256:ddd', limit: 10, offset: 0 }).bundles.map((b) => b.bundle),
      [B2],
      'the first digits of a digest',
    );
    assert.equal(bundleSummaries(ledger, { limit: 2, offset: 2 }).bundles.length, 2);

    const live = projection(file);
    assert.equal(ledger.reindex(), 15);
    assert.deepEqual(projection(file), live, 'derived from the lines alone, exactly as kept with each append');
    assert.equal((await ledger.verify()).ok, true);
  } finally {
    ledger.close();
  }
});

test('verify replays the bundle state in memory and compares every table: names SQLite orders or spells otherwise agree; a duplicated or altered row does not', async () => {
  const { file, ledger } = await ledgerWithHistory('projection-compare');
  try {
    // UTF-16 puts U+1F4C0 before U+E000, UTF-8 bytes after it; U+2028 and U+007F are spelled differently by some JSON writers.
    const odd = ['DVD-\u{1F4C0}', 'DVD-\uE000', 'DVD-\u2028\u007f', 'DVD-"\\\t'];
    for (const id of odd) {
      appendUntyped(ledger, 'media.written', { bundle: X, name: `x ${id}`, medium: { id }, volumes: [], dir: '/m' });
    }
    appendUntyped(ledger, 'custody.handoff', { bundle: X, from: { name: 'Bo' }, to: { name: 'Cy' }, place: 'gate', sealIntact: false, media: odd, notes: '' });
    assert.deepEqual((await ledger.verify()).problems, []);
  } finally {
    ledger.close();
  }
  for (const tamper of [
    'INSERT INTO ledger_flag SELECT * FROM ledger_flag LIMIT 1',
    `UPDATE bundle_media SET noted_seq = noted_seq + 1 WHERE media = 'DVD-\u{1F4C0}'`,
    "DELETE FROM job_bundle WHERE job = 'jx'",
    "INSERT INTO signer_bundle(signer, bundle) VALUES ('SITE-S', 'sha256:00')",
    "INSERT INTO attention_dismissed(key, seq) VALUES ('job:jx', 3)",
    'UPDATE projection_state SET two_person = 1',
  ]) {
    const db = new Database(file);
    db.exec(tamper);
    db.close();
    const tampered = Ledger.open(file, { operator: { name: 'Ana Field' } });
    try {
      const result = await tampered.verify();
      assert.equal(result.ok, false, tamper);
      assert.match(result.problems.map((p) => p.message).join('\n'), /derived bundle state disagrees/, tamper);
      tampered.reindex();
      assert.deepEqual((await tampered.verify()).problems, [], `${tamper}, then reindexed`);
    } finally {
      tampered.close();
    }
  }
});

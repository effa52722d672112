import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, test } from 'node:test';
import { queryEvents, resolveBundleIn } from '../custody/ledger-view.js';
import { ferry, tempDir } from '../testing/cli.js';
import { appendUntyped } from '../testing/ledger.js';
import { generateLedger } from '../testing/ledger-generator.js';
import { PROJECTION_TABLES } from './bundle-projection.js';
import { Ledger, ledgerPath } from './ledger.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

async function home(name: string): Promise<string> {
  const dir = await tempDir(name);
  dirs.push(dir);
  return dir;
}

const BUNDLE = `sha256:${'ab'.repeat(32)}`;
const officer = { name: 'Bo Guard', role: 'security officer' };
const courier = { name: 'Cy Courier' };

/** A transfer's events as Ferry appends them, naming people in every field that holds one. */
function appendTransfer(ledger: Ledger): void {
  const artifacts = [{ kind: 'files', ref: 'runbooks', digest: `sha256:${'cd'.repeat(32)}`, size: 10 }];
  appendUntyped(ledger, 'export.requested', { job: 'j1', out: '/out/b', name: 'b', volumeSize: 100, artifacts, approvalRequired: true });
  appendUntyped(ledger, 'export.approved', { job: 'j1', requester: { name: 'Ana Field' }, artifacts: 1 }, { name: 'Di Admin', role: 'approver' });
  appendUntyped(ledger, 'export.started', { job: 'j1', tarSize: 10, approvedBy: { name: 'Di Admin' } });
  appendUntyped(ledger, 'export.completed', { job: 'j1', bundle: BUNDLE, name: 'b', dir: '/out/b', artifacts, volumes: [] });
  const medium = { id: 'DVD-7', label: 'b' };
  appendUntyped(ledger, 'media.verified', { bundle: BUNDLE, name: 'b', medium, dir: '/m', volumes: [], elsewhere: [], result: 'failed' }, officer);
  appendUntyped(ledger, 'custody.handoff', {
    bundle: BUNDLE,
    from: officer,
    to: courier,
    place: 'gate',
    sealIntact: true,
    media: ['DVD-7', 'DVD-8'],
    notes: '',
  });
  appendUntyped(ledger, 'media.disposition', {
    bundle: BUNDLE,
    medium,
    action: 'destroyed',
    method: 'shredder',
    verifiedBy: { name: 'Eve Witness' },
    notes: '',
  });
}

function snapshot(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return {
      events: db.prepare('SELECT * FROM event_index ORDER BY seq').all(),
      people: db.prepare('SELECT * FROM event_person ORDER BY seq, name').all(),
      media: db.prepare('SELECT * FROM event_media ORDER BY seq, media').all(),
      ...Object.fromEntries(PROJECTION_TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all()])),
      // A rebuild loads the tables without their secondary indexes: they must all be back.
      indexes: db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all(),
    };
  } finally {
    db.close();
  }
}

test('the index kept with every append equals the one derived again from the lines, and from lines another tool wrote', async () => {
  const dir = await home('derived-live');
  const file = ledgerPath(dir);
  const ledger = Ledger.open(file, { operator: { name: 'Ana Field' } });
  appendTransfer(ledger);
  const live = snapshot(file);
  assert.equal(ledger.reindex(), 8);
  assert.deepEqual(snapshot(file), live, 'reindex gives the same rows');
  assert.deepEqual(
    (snapshot(file) as { indexes: { name: string }[] }).indexes.map((i) => i.name),
    [
      'bundle_media_open',
      'bundle_state_last',
      'entries_count',
      'event_index_bundle',
      'event_index_job',
      'event_index_time',
      'event_index_type',
      'event_media_id',
      'event_person_name',
      'ledger_flag_bundle',
      'ledger_flag_job',
      'ledger_flag_open',
      'ledger_flag_subject',
    ],
    'every index the queries use is there after a rebuild',
  );
  const lines = [...ledger.lines()];
  ledger.close();

  // The same lines in a bare table, as another tool would write them: opening indexes them.
  const other = ledgerPath(await home('derived-other'));
  const db = new Database(other);
  db.exec('CREATE TABLE entries(seq INTEGER PRIMARY KEY, line TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO entries(seq, line) VALUES (?, ?)');
  lines.forEach((line, i) => insert.run(i + 1, line));
  db.close();
  Ledger.open(other, { operator: { name: 'Someone Else' } }).close();
  assert.deepEqual(snapshot(other), live, 'derived from the lines alone, exactly as Ferry kept it');

  const { people, media, events } = live as {
    people: { seq: number; name: string }[];
    media: { media: string }[];
    events: { bundle: string | null; outcome: string | null }[];
  };
  const named = (name: string) => people.filter((p) => p.name === name).map((p) => p.seq);
  assert.deepEqual(named('Cy Courier'), [7], 'the receiver of a handoff is named, not only who recorded it');
  assert.deepEqual(named('Di Admin'), [3, 4], 'the approver: operator of the approval, approvedBy of the start');
  assert.deepEqual(named('Ana Field').sort(), [1, 2, 3, 4, 5, 7, 8], 'the requester and the operator');
  assert.deepEqual(named('Eve Witness'), [8], 'who verified a disposition');
  assert.deepEqual(
    media.map((m) => m.media),
    ['DVD-7', 'DVD-7', 'DVD-8', 'DVD-7'],
  );
  assert.deepEqual(
    events.map((e) => e.outcome),
    [null, 'pending', 'ok', null, 'ok', 'failed', 'ok', null],
  );
});

test('ledger verify catches a derived table that disagrees with the lines; ledger reindex mends it', async () => {
  const dir = await home('derived-tamper');
  const file = ledgerPath(dir);
  const ledger = Ledger.open(file, { operator: { name: 'Ana Field' } });
  appendTransfer(ledger);
  ledger.close();
  const ok = await ferry(dir, ['ledger', 'verify']);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);

  for (const tamper of [
    'UPDATE event_index SET bundle = NULL WHERE seq = 5',
    "DELETE FROM event_person WHERE seq = 7 AND name = 'Cy Courier'",
    "INSERT INTO event_media(seq, media) VALUES (4, 'USB-FAKE')",
    "INSERT INTO event_index(seq, type, time) VALUES (999, 'export.completed', '2020-01-01')",
    'UPDATE bundle_state SET imported = 1',
    "DELETE FROM bundle_media WHERE media = 'DVD-8'",
    'UPDATE ledger_flag SET cleared = 8',
    "INSERT INTO ledger_flag(seq, kind, bundle) VALUES (3, 'seal-broken', 'sha256:00')",
  ]) {
    const db = new Database(file);
    db.exec(tamper);
    db.close();
    const res = await ferry(dir, ['ledger', 'verify']);
    assert.equal(res.code, 3, `${tamper}: ${res.stdout}`);
    assert.match(res.stdout, /derived (index|bundle state)/, tamper);
    const mended = await ferry(dir, ['ledger', 'reindex']);
    assert.equal(mended.code, 0, mended.stderr);
    assert.match(mended.stdout, /derived again from its \d+ lines/);
    const again = await ferry(dir, ['ledger', 'verify']);
    assert.equal(again.code, 0, `${tamper} mended: ${again.stdout}`);
  }
});

test('a ledger grown by the generator (lines only) is indexed on open and verifies', async () => {
  const dir = await home('derived-generated');
  const generated = generateLedger(dir, { transfers: 300 });
  const res = await ferry(dir, ['ledger', 'verify', '--json']);
  assert.equal(res.code, 0, res.stdout);
  const db = new Database(generated.file, { readonly: true });
  try {
    const handoffs = db
      .prepare("SELECT COUNT(*) AS n FROM event_person p JOIN event_index e USING (seq) WHERE p.name = 'Cy Courier' AND e.type = 'custody.handoff'")
      .get() as { n: number };
    assert.equal(handoffs.n, 300);
  } finally {
    db.close();
  }
});

test('the timeline pages through the index: any person named, a bundle with its export job, newest first and onward', async () => {
  const dir = await home('derived-query');
  const generated = generateLedger(dir, { transfers: 400 });
  const ledger = Ledger.open(generated.file, { operator: { name: 'Ana Field' } });
  try {
    const first = queryEvents(ledger, { operator: 'cy cour' }, { order: 'newest', limit: 50 });
    assert.equal(first.length, 50);
    assert.ok(
      first.every((e) => e.event.type === 'custody.handoff'),
      'the receiver of each handoff, though the officer recorded it',
    );
    const next = queryEvents(ledger, { operator: 'cy cour' }, { order: 'newest', limit: 50, from: first.at(-1)!.seq });
    assert.ok(next[0]!.seq < first.at(-1)!.seq, 'the next page goes on where the first ended');
    const all = [...first, ...next].map((e) => e.seq);
    assert.deepEqual(
      all,
      [...all].sort((a, b) => b - a),
    );

    const bundle = generated.bundles[123]!;
    const mine = queryEvents(ledger, { bundle: bundle.slice(7, 19) }, { order: 'oldest', limit: 100 });
    assert.deepEqual(
      mine.map((e) => e.event.type),
      ['export.requested', 'export.started', 'export.completed', 'checkpoint', 'media.written', 'media.verified', 'custody.handoff'],
      'the export job’s events before the bundle had a digest belong to it too',
    );
    assert.ok(mine.every((e) => e.bundle === bundle));
    assert.equal(resolveBundleIn(ledger, bundle.slice(7, 20)), bundle);
    assert.deepEqual(queryEvents(ledger, { type: 'export.completed', media: 'DVD-000007' }, { order: 'oldest', limit: 10 }), []);
    assert.equal(queryEvents(ledger, { media: 'dvd-000007' }, { order: 'oldest', limit: 10 }).length, 3, 'written, verified, handed off');
  } finally {
    ledger.close();
  }
});

test('verify walks a long ledger a page at a time, letting the event loop turn, and an append meanwhile lands after its snapshot', async () => {
  const dir = await home('derived-turns');
  const generated = generateLedger(dir, { transfers: 1500 }); // over 10,000 lines: several pages
  const ledger = Ledger.open(generated.file, { operator: { name: 'Ana Field' } });
  try {
    const before = ledger.head().count;
    let turns = 0;
    let appended = false;
    const turn = (): void => {
      turns += 1;
      if (turns === 2) {
        appendUntyped(ledger, 'settings.changed', { setting: 'probe', from: null, to: 'while verifying' });
        appended = true;
      }
      if (!done) setImmediate(turn);
    };
    let done = false;
    setImmediate(turn);
    const chain = await ledger.verify({ derivedTables: false });
    done = true;
    assert.ok(turns >= 3, `the event loop turned ${turns} times during the walk (a browser host keeps answering)`);
    assert.ok(appended);
    assert.equal(chain.ok, true, JSON.stringify(chain.problems));
    assert.equal(chain.count, before, 'the walk reads the snapshot it started with');
    assert.equal((await ledger.verify()).ok, true, 'the line appended meanwhile verifies with the rest');
  } finally {
    ledger.close();
  }
});

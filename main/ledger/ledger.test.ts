import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { FerryError } from '../util/errors.js';
import { Ledger, ledgerPath } from './ledger.js';
import { appendUntyped } from '../testing/ledger.js';

const ZEROS = '0'.repeat(64);
const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempLedgerFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ledger-'));
  tempDirs.push(dir);
  return ledgerPath(path.join(dir, 'home'));
}

const alice = { name: 'Alice Example', role: 'operator' };

function sha256Hex(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

function storedLines(file: string): { seq: number; line: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], { seq: number; line: string }>('SELECT seq, line FROM entries ORDER BY seq').all();
  } finally {
    db.close();
  }
}

/** A ledger with line 1 (ledger.created) plus five notes: six lines. */
function ledgerWithSixLines(): string {
  const file = tempLedgerFile();
  const ledger = Ledger.open(file, { operator: alice });
  for (const note of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) appendUntyped(ledger, 'test.note', { note });
  ledger.close();
  return file;
}

/** A raw connection with the append-only triggers dropped, as a tamperer with file access would. */
function tamper(file: string, work: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    db.exec('DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_insert_at_end;');
    work(db);
  } finally {
    db.close();
  }
}

async function verifyFile(file: string) {
  const ledger = Ledger.open(file, { operator: alice });
  try {
    return await ledger.verify();
  } finally {
    ledger.close();
  }
}

describe('chain format', () => {
  test('each prev is sha256 of the previous stored line + "\\n"; line 1 is ledger.created', () => {
    const file = tempLedgerFile();
    const ledger = Ledger.open(file, { operator: alice });
    appendUntyped(ledger, 'export.requested', { job: 'job-1', bundle: 'b1', note: 'tab\there, newline\nthere, ünïcödé' });
    appendUntyped(ledger, 'export.completed', { job: 'job-1', bundle: 'b1', artifacts: [{ ref: 'm:1', size: 3 }] });
    const ledgerId = ledger.ledgerId;
    const head = ledger.head();
    ledger.close();

    const rows = storedLines(file);
    assert.deepEqual(
      rows.map((r) => r.seq),
      [1, 2, 3],
    );
    let prev = ZEROS;
    for (const { seq, line } of rows) {
      const parts = line.split('\t');
      assert.equal(parts.length, 3, 'JSON escapes tabs, so a line has exactly three fields');
      assert.equal(parts[0], String(seq));
      assert.equal(parts[1], prev);
      assert.ok(!line.includes('\n'));
      prev = sha256Hex(line + '\n');
    }
    assert.deepEqual(head, { count: 3, head: prev });

    const first = JSON.parse(rows[0]!.line.split('\t')[2]!);
    assert.equal(first.type, 'ledger.created');
    assert.equal(first.ledgerId, ledgerId);
    assert.match(ledgerId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(rows[0]!.line.startsWith(`1\t${ZEROS}\t{`));
  });

  test('events carry the envelope; JSON is canonical (sorted keys, no spaces)', () => {
    const file = tempLedgerFile();
    const ledger = Ledger.open(file, { operator: alice });
    const { seq, line, event } = appendUntyped(ledger, 'media.written', { zeta: 1, bundle: 'b9', media: { serial: 'X1', label: 'L' }, skipped: undefined });
    ledger.close();
    assert.equal(seq, 2);
    assert.equal(event.type, 'media.written');
    assert.equal(event.ledgerId, ledger.ledgerId);
    assert.equal(event.host, os.hostname());
    assert.equal(typeof event.osUser, 'string');
    assert.deepEqual(event.operator, { name: 'Alice Example', role: 'operator' });
    assert.match(event.time as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.ok(!('skipped' in event));
    const json = line.split('\t')[2]!;
    const keys = Object.keys(JSON.parse(json));
    assert.deepEqual(keys, [...keys].sort());
    assert.ok(json.startsWith('{"bundle":"b9","host":'));
    assert.ok(!/[:,] /.test(json));
  });

  test('an operator without a role has no role key', () => {
    const ledger = Ledger.open(tempLedgerFile(), { operator: { name: 'Bob' } });
    assert.deepEqual(appendUntyped(ledger, 'test.note').event.operator, { name: 'Bob' });
    ledger.close();
  });
});

describe('reopening and concurrent writers', () => {
  test('reopening keeps the ledgerId and continues the chain', async () => {
    const file = tempLedgerFile();
    const first = Ledger.open(file, { operator: alice });
    appendUntyped(first, 'test.note', { n: 1 });
    const id = first.ledgerId;
    first.close();

    const again = Ledger.open(file, { operator: { name: 'Bob' } });
    assert.equal(again.ledgerId, id);
    assert.equal(again.file, file);
    const { seq, event } = appendUntyped(again, 'test.note', { n: 2 });
    assert.equal(seq, 3);
    assert.equal(event.ledgerId, id);
    const result = await again.verify();
    again.close();
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
    assert.equal(result.count, 3);
    assert.equal(storedLines(file).filter((r) => r.line.includes('"ledger.created"')).length, 1);
  });

  test('two instances on one file appending alternately keep one valid chain', async () => {
    const file = tempLedgerFile();
    const app = Ledger.open(file, { operator: alice });
    const cli = Ledger.open(file, { operator: { name: 'Bob', role: 'approver' } });
    assert.equal(cli.ledgerId, app.ledgerId);
    for (let i = 0; i < 20; i++) {
      assert.equal(appendUntyped(app, 'test.note', { from: 'app', i }).seq, 2 + 2 * i);
      assert.equal(appendUntyped(cli, 'test.note', { from: 'cli', i }).seq, 3 + 2 * i);
    }
    assert.deepEqual(app.head(), cli.head());
    const result = await cli.verify();
    app.close();
    cli.close();
    assert.equal(result.ok, true);
    assert.equal(result.count, 41);
  });

  test('lines() iterates a range; events() filters by type and bundle', () => {
    const ledger = Ledger.open(tempLedgerFile(), { operator: alice });
    appendUntyped(ledger, 'export.requested', { bundle: 'b1' });
    appendUntyped(ledger, 'export.requested', { bundle: 'b2' });
    appendUntyped(ledger, 'export.completed', { bundle: 'b1' });
    assert.deepEqual(
      [...ledger.lines({ from: 2, to: 3 })].map((l) => l.split('\t')[0]),
      ['2', '3'],
    );
    assert.equal([...ledger.lines()].length, 4);
    const iterator = ledger.lines();
    assert.equal(iterator.next().value?.split('\t')[0], '1');
    iterator.return?.();
    assert.deepEqual(
      ledger.events({ type: 'export.requested' }).map((e) => e.seq),
      [2, 3],
    );
    assert.deepEqual(
      ledger.events({ bundle: 'b1' }).map((e) => e.seq),
      [2, 4],
    );
    assert.deepEqual(
      ledger.events({ type: 'export.completed', bundle: 'b1' }).map((e) => e.event.type),
      ['export.completed'],
    );
    assert.equal(ledger.events().length, 4);
    ledger.close();
  });
});

describe('append-only triggers', () => {
  test('UPDATE, DELETE and out-of-place INSERT are refused', async () => {
    const file = ledgerWithSixLines();
    const db = new Database(file);
    try {
      assert.throws(() => db.prepare("UPDATE entries SET line = 'x' WHERE seq = 2").run(), /append-only/);
      assert.throws(() => db.prepare('DELETE FROM entries WHERE seq = 6').run(), /append-only/);
      assert.throws(() => db.prepare('DELETE FROM entries').run(), /append-only/);
      assert.throws(() => db.prepare("INSERT OR REPLACE INTO entries(seq, line) VALUES (2, 'x')").run(), /append-only/);
      assert.throws(() => db.prepare("INSERT INTO entries(seq, line) VALUES (9, 'x')").run(), /append-only/);
      assert.throws(() => db.prepare("INSERT INTO entries(line) VALUES ('x')").run(), /append-only/);
    } finally {
      db.close();
    }
    assert.equal((await verifyFile(file)).ok, true);
    assert.equal(storedLines(file).length, 6);
  });
});

describe('tamper detection', () => {
  test('an untouched ledger verifies', async () => {
    const result = await verifyFile(ledgerWithSixLines());
    assert.equal(result.ok, true);
    assert.equal(result.count, 6);
    assert.deepEqual(result.problems, []);
  });

  test('(a) one changed character breaks the link from the next line', async () => {
    const file = ledgerWithSixLines();
    tamper(file, (db) => {
      const line = db.prepare<[], string>('SELECT line FROM entries WHERE seq = 3').pluck().get()!;
      assert.ok(line.includes('"bravo"'));
      db.prepare('UPDATE entries SET line = ? WHERE seq = 3').run(line.replace('"bravo"', '"bravp"'));
    });
    const result = await verifyFile(file);
    assert.equal(result.ok, false);
    assert.equal(result.count, 6);
    assert.deepEqual(
      result.problems.map((p) => p.seq),
      [4],
    );
    assert.match(result.problems[0]!.message, /line 3 was changed/);
  });

  test('(a2) a change that breaks the JSON is reported at that line', async () => {
    const file = ledgerWithSixLines();
    tamper(file, (db) => {
      const line = db.prepare<[], string>('SELECT line FROM entries WHERE seq = 3').pluck().get()!;
      db.prepare('UPDATE entries SET line = ? WHERE seq = 3').run(line.slice(0, -1));
    });
    const result = await verifyFile(file);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.problems.map((p) => p.seq),
      [3, 4],
    );
  });

  test('(b) a deleted middle line is reported as missing', async () => {
    const file = ledgerWithSixLines();
    tamper(file, (db) => db.prepare('DELETE FROM entries WHERE seq = 3').run());
    const result = await verifyFile(file);
    assert.equal(result.ok, false);
    assert.equal(result.count, 5);
    assert.equal(result.problems[0]!.seq, 3);
    assert.match(result.problems[0]!.message, /line 3 is missing/);
    assert.ok(result.problems.some((p) => p.seq === 4 && /prev/.test(p.message)));
  });

  test('(c) two swapped lines are each reported', async () => {
    const file = ledgerWithSixLines();
    tamper(file, (db) => {
      const get = db.prepare<[number], string>('SELECT line FROM entries WHERE seq = ?').pluck();
      const three = get.get(3)!;
      const five = get.get(5)!;
      const set = db.prepare('UPDATE entries SET line = ? WHERE seq = ?');
      set.run(five, 3);
      set.run(three, 5);
    });
    const result = await verifyFile(file);
    assert.equal(result.ok, false);
    assert.equal(result.problems[0]!.seq, 3);
    assert.match(result.problems[0]!.message, /says seq "5" but is stored at seq 3/);
    const seqs = new Set(result.problems.map((p) => p.seq));
    assert.ok(seqs.has(5) && seqs.has(4) && seqs.has(6));
  });

  test('a re-chained line from another ledger is caught by its ledgerId', async () => {
    const file = ledgerWithSixLines();
    tamper(file, (db) => {
      const lines = db.prepare<[], string>('SELECT line FROM entries ORDER BY seq').pluck().all();
      const forged = JSON.parse(lines[5]!.split('\t')[2]!);
      forged.ledgerId = '00000000-0000-4000-8000-000000000000';
      db.prepare('INSERT INTO entries(seq, line) VALUES (7, ?)').run(`7\t${sha256Hex(lines[5]! + '\n')}\t${JSON.stringify(forged)}`);
    });
    const result = await verifyFile(file);
    assert.deepEqual(
      result.problems.map((p) => p.seq),
      [7],
    );
    assert.match(result.problems[0]!.message, /ledgerId/);
  });

  test('bytes that are not UTF-8 are reported at their line', async () => {
    const file = ledgerWithSixLines();
    tamper(file, (db) => {
      const line = db.prepare<[], string>('SELECT line FROM entries WHERE seq = 3').pluck().get()!;
      const stored = Buffer.from(line.replace('"bravo"', '"brav\u00e9"'));
      stored[stored.indexOf(0xc3)] = 0xff; // é's first byte made invalid: SQLite hands the text back with U+FFFD
      db.prepare('UPDATE entries SET line = CAST(? AS TEXT) WHERE seq = 3').run(stored);
    });
    const result = await verifyFile(file);
    assert.deepEqual(
      result.problems.map((p) => p.seq),
      [3, 4],
    );
    assert.match(result.problems[0]!.message, /line is not valid UTF-8/);
    assert.match(result.problems[1]!.message, /line 3 was changed/);
  });

  test('people whose names sort differently by UTF-8 bytes and by UTF-16 units verify', async () => {
    const file = tempLedgerFile();
    const ledger = Ledger.open(file, { operator: alice });
    // SQLite orders U+FF21 (EF BC A1) before U+1F600 (F0 9F 98 80); JavaScript's sort puts the surrogate D83D first.
    appendUntyped(ledger, 'custody.handoff', { bundle: `sha256:${'c'.repeat(64)}`, from: { name: '\u{1F600} Courier' }, to: { name: '\uFF21 Guard' } });
    ledger.close();
    const result = await verifyFile(file);
    assert.deepEqual(result.problems, []);
  });

  test('a line stored as a BLOB is checked by its bytes; a real U+FFFD in an event verifies', async () => {
    const file = tempLedgerFile();
    const ledger = Ledger.open(file, { operator: alice });
    appendUntyped(ledger, 'test.note', { text: 'replacement \uFFFD character' });
    appendUntyped(ledger, 'test.note', { n: 3 });
    ledger.close();
    assert.equal((await verifyFile(file)).ok, true);
    tamper(file, (db) => db.prepare('UPDATE entries SET line = CAST(line AS BLOB) WHERE seq = 2').run());
    const result = await verifyFile(file);
    assert.deepEqual(result.problems, [], 'the same bytes as a BLOB hash the same');
  });
});

describe('what append refuses', () => {
  const ledger = Ledger.open(tempLedgerFile(), { operator: alice });
  after(() => ledger.close());

  test('secret-looking keys at any depth, any case', () => {
    for (const fields of [
      { password: 'x' },
      { Token: 'x' },
      { nested: { SECRET: 'x' } },
      { list: [{ ok: 1 }, { authorization: 'Bearer x' }] },
      { password: undefined },
    ]) {
      assert.throws(
        () => appendUntyped(ledger, 'test.note', fields),
        (err: unknown) => err instanceof FerryError && /secret/.test(err.message),
        JSON.stringify(fields),
      );
    }
    assert.equal(appendUntyped(ledger, 'test.note', { tokenizer: 'tokenizer.json', passwordless: true }).seq > 1, true);
  });

  test('envelope overrides', () => {
    for (const key of ['type', 'time', 'ledgerId', 'host', 'osUser', 'operator']) {
      assert.throws(() => appendUntyped(ledger, 'test.note', { [key]: 'forged' }), /set by the ledger/, key);
    }
  });

  test('values canonical JSON cannot hold faithfully', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const fields of [
      { n: Number.NaN },
      { n: Infinity },
      { n: 1n },
      { f: () => 1 },
      { d: new Date() },
      { b: Buffer.from('x') },
      { m: new Map() },
      { a: [1, undefined] },
      cyclic,
    ]) {
      assert.throws(() => appendUntyped(ledger, 'test.note', fields as Record<string, unknown>), FerryError);
    }
  });

  test('bad event types and operators', () => {
    assert.throws(() => appendUntyped(ledger, ''), FerryError);
    assert.throws(() => appendUntyped(ledger, 'Export Done'), FerryError);
    assert.throws(() => Ledger.open(tempLedgerFile(), { operator: { name: ' ' } }), FerryError);
  });

  test('nothing refused was written', async () => {
    const result = await ledger.verify();
    assert.equal(result.ok, true);
    assert.equal(ledger.events({ type: 'test.note' }).length, 1);
  });
});

test('a file that is not SQLite is refused with INVALID_INPUT', () => {
  const file = tempLedgerFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, 'not a database, just some text that is long enough to have a header'.repeat(10));
  assert.throws(
    () => Ledger.open(file, { operator: alice }),
    (err: unknown) => err instanceof FerryError && err.code === 'INVALID_INPUT',
  );
});

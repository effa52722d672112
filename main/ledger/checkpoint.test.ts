import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { publicKeyPem } from '../keys/keys.js';
import { FerryError } from '../util/errors.js';
import { checkpointMatchesLines, formatCheckpoint, parseCheckpoint, verifyCheckpoint } from './checkpoint.js';
import { Ledger, ledgerPath } from './ledger.js';
import { appendUntyped } from '../testing/ledger.js';

const OPENSSL = '/usr/bin/openssl';
const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-checkpoint-'));
  tempDirs.push(dir);
  return dir;
}

const siteKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const operator = { name: 'Alice Example' };

function opensslVerifies(dir: string, text: string, signature: Buffer): boolean {
  const files = { txt: path.join(dir, 'checkpoint.txt'), sig: path.join(dir, 'checkpoint.sig'), pub: path.join(dir, 'site.pub.pem') };
  fs.writeFileSync(files.txt, text);
  fs.writeFileSync(files.sig, signature);
  fs.writeFileSync(files.pub, publicKeyPem(siteKey.publicKey));
  const run = spawnSync(OPENSSL, ['dgst', '-sha256', '-verify', files.pub, '-signature', files.sig, files.txt], { encoding: 'utf8' });
  if (run.error) throw run.error;
  return run.status === 0 && run.stdout.includes('Verified OK');
}

describe('checkpoint', () => {
  test('the text is exact and openssl verifies the DER signature; a modified text fails', () => {
    const dir = tempDir();
    const ledger = Ledger.open(ledgerPath(dir), { operator });
    appendUntyped(ledger, 'test.note', { n: 1 });
    const cp = ledger.checkpoint({ privateKey: siteKey.privateKey });
    const head = ledger.head();
    ledger.close();

    assert.equal(cp.count, 2);
    assert.equal(cp.head, head.head);
    assert.equal(cp.text, `ferry-ledger-checkpoint v1\n${ledger.ledgerId}\n2\n${head.head}\n${cp.time}\n`);
    assert.deepEqual(parseCheckpoint(cp.text), { ledgerId: ledger.ledgerId, count: 2, head: head.head, time: cp.time });

    assert.equal(opensslVerifies(dir, cp.text, cp.signature), true);
    assert.equal(opensslVerifies(dir, cp.text.replace('\n2\n', '\n3\n'), cp.signature), false);

    assert.equal(verifyCheckpoint(cp.text, cp.signature, siteKey.publicKey), true);
    assert.equal(verifyCheckpoint(Buffer.from(cp.text), cp.signature, publicKeyPem(siteKey.publicKey)), true);
    assert.equal(verifyCheckpoint(cp.text.replace('\n2\n', '\n3\n'), cp.signature, siteKey.publicKey), false);
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    assert.equal(verifyCheckpoint(cp.text, cp.signature, other.publicKey), false);
  });

  test('parseCheckpoint is strict', () => {
    const good = formatCheckpoint({ ledgerId: '6f1c3a52-8a4e-4d7b-9c2e-0a1b2c3d4e5f', count: 12, head: 'ab'.repeat(32), time: '2026-01-31T12:00:00.000Z' });
    assert.equal(parseCheckpoint(good).count, 12);
    const variants = [
      good.slice(0, -1),
      good + '\n',
      good.replace(/\n/g, '\r\n'),
      good.replace('v1', 'v2'),
      good.replace('6f1c3a52', '6F1C3A52'),
      good.replace('\n12\n', '\n012\n'),
      good.replace('\n12\n', '\n0\n'),
      good.replace('\n12\n', '\n-1\n'),
      good.replace('ab'.repeat(32), 'AB'.repeat(32)),
      good.replace('ab'.repeat(32), 'ab'.repeat(31)),
      good.replace('.000Z', 'Z'),
      good.replace('2026-01-31', '2026-02-30'),
      good.replace('Z\n', '+00:00\n'),
      ` ${good}`,
    ];
    for (const text of variants) {
      assert.throws(
        () => parseCheckpoint(text),
        (err: unknown) => err instanceof FerryError && err.code === 'INVALID_INPUT',
        JSON.stringify(text),
      );
    }
  });

  test('an old checkpoint still matches after appends; not after a rewrite or truncation', async () => {
    const dir = tempDir();
    const file = ledgerPath(dir);
    const ledger = Ledger.open(file, { operator });
    appendUntyped(ledger, 'test.note', { n: 1 });
    appendUntyped(ledger, 'test.note', { n: 2 });
    const cp = parseCheckpoint(ledger.checkpoint({ privateKey: siteKey.privateKey }).text);
    appendUntyped(ledger, 'test.note', { n: 3 });
    assert.deepEqual(checkpointMatchesLines(ledger.lines(), cp), { ok: true });
    assert.deepEqual(checkpointMatchesLines([...ledger.lines()], cp), { ok: true });
    const lines = [...ledger.lines()];
    ledger.close();

    assert.equal(checkpointMatchesLines(lines, { ...cp, ledgerId: '00000000-0000-4000-8000-000000000000' }).ok, false);
    assert.equal(checkpointMatchesLines(lines, { ...cp, head: '0'.repeat(64) }).ok, false);
    const changed = [...lines];
    changed[1] = changed[1]!.replace('"n":1', '"n":9');
    assert.deepEqual(checkpointMatchesLines(changed, cp), { ok: false, seq: 3, message: `line 3's prev does not match sha256 of line 2 + "\\n"` });

    // Dropping the tail leaves a valid chain that verify() cannot fault; only the checkpoint shows it.
    const db = new Database(file);
    db.exec('DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq >= 3;');
    db.close();
    const truncated = Ledger.open(file, { operator });
    assert.equal((await truncated.verify()).ok, true);
    const match = checkpointMatchesLines(truncated.lines(), cp);
    truncated.close();
    assert.equal(match.ok, false);
    assert.match(!match.ok ? match.message : '', /lines were removed/);
  });

  test('checkpoint() refuses a ledger with a gap', () => {
    const file = ledgerPath(tempDir());
    const ledger = Ledger.open(file, { operator });
    appendUntyped(ledger, 'test.note', { n: 1 });
    appendUntyped(ledger, 'test.note', { n: 2 });
    const db = new Database(file);
    db.exec('DROP TRIGGER entries_no_delete; DELETE FROM entries WHERE seq = 2;');
    db.close();
    assert.throws(
      () => ledger.checkpoint({ privateKey: siteKey.privateKey }),
      (err: unknown) => err instanceof FerryError && err.code === 'INTEGRITY',
    );
    ledger.close();
  });
});

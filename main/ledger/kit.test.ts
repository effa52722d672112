import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ferry, missingTools, run, tempDir, type RunResult } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { KIT_FILES } from './kit.js';

const skip = await missingTools(['sh', 'sha256sum', 'openssl']);

interface KitJson {
  dir: string;
  count: number;
  head: string;
  ledgerId: string;
  files: string[];
  recordedAt: number;
}

describe("the auditor's kit (ferry ledger export, VERIFY.sh)", { skip }, () => {
  let work: string;
  let home: string;
  let kit1: KitJson;
  let kit2: KitJson;

  const verifySh = (dir: string, ...args: string[]): Promise<RunResult> => run('sh', [path.join(dir, 'VERIFY.sh'), ...args]);
  const readLines = async (dir: string) => (await fs.readFile(path.join(dir, 'ledger.tsv'), 'utf8')).split('\n').slice(0, -1);
  const writeLines = (dir: string, lines: string[]) => fs.writeFile(path.join(dir, 'ledger.tsv'), lines.map((l) => `${l}\n`).join(''));

  /** A copy of a kit to tamper with. */
  async function copyKit(from: string, name: string): Promise<string> {
    const to = path.join(work, name);
    await fs.cp(from, to, { recursive: true });
    return to;
  }

  async function exportKitCli(h: string, name: string): Promise<KitJson> {
    const res = await ferry(h, ['ledger', 'export', '--out', path.join(work, name), '--json']);
    assert.equal(res.code, 0, res.stderr);
    return (JSON.parse(res.stdout) as { result: KitJson }).result;
  }

  function tamper(h: string, work: (db: Database.Database) => void): void {
    const db = new Database(path.join(h, 'ledger.sqlite'));
    try {
      db.exec('DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete; DROP TRIGGER entries_insert_at_end;');
      work(db);
    } finally {
      db.close();
    }
  }

  const ledgerCount = async (h: string) => (JSON.parse((await ferry(h, ['ledger', 'verify', '--json'])).stdout) as { result: { count: number } }).result.count;

  before(async () => {
    work = await tempDir('kit');
    home = path.join(work, 'home');
    const store = path.join(work, 'store');
    await makeOllamaStore(store, [{ name: 'tiny:1' }]);
    assert.equal((await ferry(home, ['keys', 'show'])).code, 0);
    const exported = await ferry(home, ['export', '--out', path.join(work, 'bundle'), '--ollama-store', store, '--ollama', 'tiny:1', '--volume-size', '1MiB']);
    assert.equal(exported.code, 0, exported.stderr);
    const cp = await ferry(home, ['ledger', 'checkpoint', '--out', path.join(work, 'cp')]);
    assert.equal(cp.code, 0, cp.stderr);
    assert.match(cp.stdout, /ferry-ledger-checkpoint v1\n/);
    assert.match(cp.stdout, /openssl dgst -sha256 -verify site\.pub\.pem -signature checkpoint\.sig checkpoint\.txt/);
    kit1 = await exportKitCli(home, 'kit1');
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  test('ledger checkpoint --out writes files openssl verifies, and records the checkpoint', async () => {
    const ok = await run('openssl', ['dgst', '-sha256', '-verify', 'site.pub.pem', '-signature', 'checkpoint.sig', 'checkpoint.txt'], {
      cwd: path.join(work, 'cp'),
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Verified OK/);
    const shown = JSON.parse((await ferry(home, ['ledger', 'show', '--type', 'checkpoint', '--json'])).stdout) as {
      result: { entries: { event: Record<string, unknown> }[] };
    };
    assert.ok(shown.result.entries.some((e) => e.event.purpose === 'on demand' && typeof e.event.signature === 'string'));
  });

  test('the kit holds every file; ledger.tsv is exactly the checkpointed lines; VERIFY.sh passes and prints count and head', async () => {
    assert.deepEqual((await fs.readdir(kit1.dir)).sort(), [...KIT_FILES].sort());
    const lines = await readLines(kit1.dir);
    assert.equal(lines.length, kit1.count);
    // The checkpoint is recorded right after the lines it covers, then ledger.exported.
    assert.equal(kit1.recordedAt, kit1.count + 1);
    const shown = JSON.parse((await ferry(home, ['ledger', 'show', '--json'])).stdout) as {
      result: { entries: { seq: number; event: Record<string, unknown> }[] };
    };
    const tail = shown.result.entries.slice(kit1.count);
    assert.deepEqual(
      tail.map((e) => e.event.type),
      ['checkpoint', 'ledger.exported'],
    );
    assert.equal(tail[1]!.event.count, kit1.count);
    assert.equal(tail[1]!.event.head, kit1.head);

    const res = await verifySh(kit1.dir);
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, new RegExp(`^count ${kit1.count}$`, 'm'));
    assert.match(res.stdout, new RegExp(`^head ${kit1.head}$`, 'm'));
    assert.match(res.stdout, /^OK$/m);

    const ossl = await run('openssl', ['dgst', '-sha256', '-verify', 'site.pub.pem', '-signature', 'checkpoint.sig', 'checkpoint.txt'], { cwd: kit1.dir });
    assert.equal(ossl.code, 0, ossl.stderr);

    const json = JSON.parse(await fs.readFile(path.join(kit1.dir, 'ledger.json'), 'utf8')) as { count: number; entries: { seq: number; type: string }[] };
    assert.equal(json.entries.length, kit1.count);
    assert.ok(json.entries.some((e) => e.type === 'export.completed'));
    const csv = (await fs.readFile(path.join(kit1.dir, 'ledger.csv'), 'utf8')).split('\r\n');
    assert.equal(csv[0], 'seq,time,type,operator,role,bundle,job,event');
  });

  test('a changed character in one line fails, naming the line', async () => {
    const dir = await copyKit(kit1.dir, 'changed');
    const lines = await readLines(dir);
    lines[2] = lines[2]!.replace('Test Operator', 'Test Operatos');
    await writeLines(dir, lines);
    const res = await verifySh(dir);
    assert.equal(res.code, 1, res.stdout);
    assert.match(res.stdout, /FAIL line 4: prev is [0-9a-f]{64} but sha256\(line 3 \+ "\\n"\) is [0-9a-f]{64}: line 3 was changed/);
    assert.match(res.stdout, /NOT OK/);

    const last = await copyKit(kit1.dir, 'changed-last');
    const all = await readLines(last);
    all[all.length - 1] = all[all.length - 1]!.replace('"type":"', '"type":"x');
    await writeLines(last, all);
    const res2 = await verifySh(last);
    assert.equal(res2.code, 1);
    assert.match(res2.stdout, new RegExp(`FAIL line ${kit1.count}: .* but checkpoint.txt's head is ${kit1.head}`));
  });

  test('a removed line and two swapped lines fail, naming the line', async () => {
    const removed = await copyKit(kit1.dir, 'removed');
    const lines = await readLines(removed);
    await writeLines(removed, [...lines.slice(0, 2), ...lines.slice(3)]);
    const r1 = await verifySh(removed);
    assert.equal(r1.code, 1);
    assert.match(r1.stdout, /FAIL line 3: its seq field says "4", expected 3/);

    const swapped = await copyKit(kit1.dir, 'swapped');
    await writeLines(swapped, [lines[0]!, lines[1]!, lines[3]!, lines[2]!, ...lines.slice(4)]);
    const r2 = await verifySh(swapped);
    assert.equal(r2.code, 1);
    assert.match(r2.stdout, /FAIL line 3: its seq field says "4", expected 3/);
  });

  test('a forged checkpoint.txt fails the openssl check', async () => {
    const dir = await copyKit(kit1.dir, 'forged');
    const text = await fs.readFile(path.join(dir, 'checkpoint.txt'), 'utf8');
    const forgedCount = kit1.count - 1;
    const lines = await readLines(dir);
    const { createHash } = await import('node:crypto');
    const forgedHead = createHash('sha256')
      .update(`${lines[forgedCount - 1]}\n`)
      .digest('hex');
    // A consistent forgery: count and head match a shortened ledger.tsv, only the signature is wrong.
    await fs.writeFile(path.join(dir, 'checkpoint.txt'), text.replace(`\n${kit1.count}\n${kit1.head}\n`, `\n${forgedCount}\n${forgedHead}\n`));
    await writeLines(dir, lines.slice(0, forgedCount));
    const res = await verifySh(dir);
    assert.equal(res.code, 1, res.stdout);
    assert.match(res.stdout, /FAIL checkpoint\.sig is not a valid signature by site\.pub\.pem over checkpoint\.txt/);
    const ossl = await run('openssl', ['dgst', '-sha256', '-verify', 'site.pub.pem', '-signature', 'checkpoint.sig', 'checkpoint.txt'], { cwd: dir });
    assert.notEqual(ossl.code, 0);
  });

  test('an older checkpoint: a grown ledger passes; a truncated tail fails', async () => {
    assert.equal((await ferry(home, ['ledger', 'checkpoint'])).code, 0);
    kit2 = await exportKitCli(home, 'kit2');
    assert.ok(kit2.count > kit1.count + 2);
    const grown = await verifySh(kit2.dir, String(kit1.count), kit1.head);
    assert.equal(grown.code, 0, grown.stdout);
    assert.match(grown.stdout, new RegExp(`the first ${kit1.count} lines end at ${kit1.head}: the ledger only grew`));

    // kit2's ledger.tsv lost its tail (lines kit1.count-1 onwards), shown with kit1's (genuine) checkpoint files.
    const truncated = await copyKit(kit2.dir, 'truncated');
    await writeLines(truncated, (await readLines(truncated)).slice(0, kit1.count - 2));
    for (const f of ['checkpoint.txt', 'checkpoint.sig', 'site.pub.pem']) await fs.copyFile(path.join(kit1.dir, f), path.join(truncated, f));
    const res = await verifySh(truncated, String(kit1.count), kit1.head);
    assert.equal(res.code, 1, res.stdout);
    assert.match(res.stdout, /checkpoint signature {2}OK/, 'the signature itself is genuine');
    assert.match(res.stdout, new RegExp(`FAIL line ${kit1.count - 1}: ledger.tsv ends after ${kit1.count - 2} lines but checkpoint.txt covers ${kit1.count}`));

    // A tail cut within kit2's own checkpoint fails against it too.
    const cut = await copyKit(kit2.dir, 'cut');
    await writeLines(cut, (await readLines(cut)).slice(0, kit2.count - 1));
    const res2 = await verifySh(cut);
    assert.equal(res2.code, 1);
    assert.match(res2.stdout, new RegExp(`FAIL line ${kit2.count}: ledger.tsv ends after ${kit2.count - 1} lines`));
  });

  test('a ledger truncated and regrown at the site, then re-signed: its own kit passes, the older checkpoint catches it', async () => {
    const home2 = path.join(work, 'home-truncated');
    await fs.cp(home, home2, { recursive: true });
    tamper(home2, (db) => db.prepare('DELETE FROM entries WHERE seq > ?').run(kit1.count - 2));
    // Regrow past the old count so a count check alone cannot tell.
    for (let i = 0; i < 4; i++) assert.equal((await ferry(home2, ['ledger', 'checkpoint'])).code, 0);
    assert.equal((await ferry(home2, ['ledger', 'verify'])).code, 0, 'the chain is self-consistent again: only an older checkpoint can tell');
    const kit3 = await exportKitCli(home2, 'kit3');
    assert.ok(kit3.count >= kit1.count);
    assert.equal((await verifySh(kit3.dir)).code, 0);
    const res = await verifySh(kit3.dir, String(kit1.count), kit1.head);
    assert.equal(res.code, 1, res.stdout);
    assert.match(
      res.stdout,
      new RegExp(`FAIL line ${kit1.count}: the walk over the first ${kit1.count} lines ends at [0-9a-f]{64}, not at the older checkpoint's head ${kit1.head}`),
    );
  });

  test('ferry ledger verify exits 3 and names the line after a line is changed in SQLite', async () => {
    const home3 = path.join(work, 'home-changed');
    await fs.cp(home, home3, { recursive: true });
    tamper(home3, (db) => {
      const line = db.prepare<[], string>('SELECT line FROM entries WHERE seq = 3').pluck().get()!;
      db.prepare('UPDATE entries SET line = ? WHERE seq = 3').run(line.replace('Test Operator', 'Test Operatos'));
    });
    const res = await ferry(home3, ['ledger', 'verify']);
    assert.equal(res.code, 3, res.stdout + res.stderr);
    assert.match(res.stdout, /line 4: prev does not match sha256 of line 3/);
    assert.match(res.stdout, /BROKEN/);
  });

  test('ledger export into a non-empty folder exits 2 and writes nothing', async () => {
    const dir = path.join(work, 'not-empty');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'notes.txt'), 'keep me');
    const before = await ledgerCount(home);
    const res = await ferry(home, ['ledger', 'export', '--out', dir]);
    assert.equal(res.code, 2, res.stderr);
    assert.match(res.stderr, new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not empty`));
    assert.deepEqual(await fs.readdir(dir), ['notes.txt']);
    assert.equal(await ledgerCount(home), before, 'no checkpoint or export event was recorded');

    const noOut = await ferry(home, ['ledger', 'export']);
    assert.equal(noOut.code, 2);
  });
});

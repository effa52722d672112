import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ferry, missingTools, run, tempDir, type RunResult } from '../testing/cli.js';
import { generateLedger } from '../testing/ledger-generator.js';
import { lineHash } from './chain.js';

const skip = await missingTools(['sh', 'sha256sum', 'openssl', 'split', 'awk']);
/** 3,000 transfers: 21,001 generated lines, then the kit's checkpoint covers them. */
const TRANSFERS = 3000;

describe("a large ledger's kit: VERIFY.sh walks it with a bounded number of processes and still catches every break", { skip }, () => {
  let work: string;
  let kit: string;
  let count: number;

  const verifySh = (dir: string): Promise<RunResult> => run('sh', [path.join(dir, 'VERIFY.sh')]);
  const readLines = async (dir: string) => (await fs.readFile(path.join(dir, 'ledger.tsv'), 'utf8')).split('\n').slice(0, -1);
  const writeLines = (dir: string, lines: string[]) => fs.writeFile(path.join(dir, 'ledger.tsv'), lines.map((l) => `${l}\n`).join(''));
  async function copyKit(name: string): Promise<string> {
    const to = path.join(work, name);
    await fs.cp(kit, to, { recursive: true });
    return to;
  }

  before(async () => {
    work = await tempDir('kit-large');
    const home = path.join(work, 'home');
    const generated = generateLedger(home, { transfers: TRANSFERS });
    assert.equal(generated.count, 7 * TRANSFERS + 1);
    const verified = await ferry(home, ['ledger', 'verify']);
    assert.equal(verified.code, 0, `the generated ledger is a valid chain: ${verified.stdout}${verified.stderr}`);
    kit = path.join(work, 'kit');
    const res = await ferry(home, ['ledger', 'export', '--out', kit, '--json']);
    assert.equal(res.code, 0, res.stderr);
    count = (JSON.parse(res.stdout) as { result: { count: number } }).result.count;
    assert.ok(count >= generated.count, `the kit covers the generated lines (and the site key made on first use): ${count}`);
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  test('the streamed kit: ledger.tsv is the chain, ledger.json and ledger.csv hold every line, and VERIFY.sh passes', async () => {
    const lines = await readLines(kit);
    assert.equal(lines.length, count);
    const json = JSON.parse(await fs.readFile(path.join(kit, 'ledger.json'), 'utf8')) as { count: number; head: string; entries: { seq: number }[] };
    assert.equal(json.entries.length, count);
    assert.deepEqual([json.entries[0]!.seq, json.entries.at(-1)!.seq], [1, count]);
    assert.equal(json.head, lineHash(lines.at(-1)!));
    const csv = (await fs.readFile(path.join(kit, 'ledger.csv'), 'utf8')).split('\r\n');
    assert.equal(csv.length, count + 2, 'a header, a row per line, and the final line break');

    // sha256sum through a wrapper that counts its runs: the walk must not start one per line.
    const tools = path.join(work, 'counting-tools');
    const runs = path.join(work, 'sha256sum-runs');
    const real = (await run('sh', ['-c', 'command -v sha256sum'])).stdout.trim();
    await fs.mkdir(tools);
    await fs.writeFile(path.join(tools, 'sha256sum'), `#!/bin/sh\necho run >> '${runs}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    const res = await run('sh', [path.join(kit, 'VERIFY.sh')], { env: { PATH: `${tools}:${process.env.PATH}` } });
    assert.equal(res.code, 0, res.stdout + res.stderr);
    assert.match(res.stdout, new RegExp(`^count ${count}$`, 'm'));
    assert.match(res.stdout, /^OK$/m);
    const started = (await fs.readFile(runs, 'utf8')).split('\n').length - 1;
    assert.ok(started >= 1 && started <= 50, `sha256sum ran ${started} times for ${count} lines`);
  });

  test('a changed line deep in the kit fails, naming the line after it', async () => {
    const dir = await copyKit('changed');
    const lines = await readLines(dir);
    lines[12_344] = lines[12_344]!.replace('"time":"2', '"time":"1');
    assert.notEqual(lines[12_344], (await readLines(kit))[12_344], 'the line was changed');
    await writeLines(dir, lines);
    const res = await verifySh(dir);
    assert.equal(res.code, 1, res.stdout);
    assert.match(res.stdout, /FAIL line 12346: prev is [0-9a-f]{64} but sha256\(line 12345 \+ "\\n"\) is [0-9a-f]{64}: line 12345 was changed/);
    assert.match(res.stdout, /NOT OK/);
  });

  test('a removed line (a sequence gap) fails, naming where', async () => {
    const dir = await copyKit('gap');
    const lines = await readLines(dir);
    lines.splice(9_999, 1);
    await writeLines(dir, lines);
    const res = await verifySh(dir);
    assert.equal(res.code, 1, res.stdout);
    assert.match(res.stdout, /FAIL line 10000: its seq field says "10001", expected 10000/);
  });

  test('a broken link (a prev that names no line) fails, naming the line', async () => {
    const dir = await copyKit('link');
    const lines = await readLines(dir);
    const [seq, , json] = lines[17_000]!.split('\t');
    lines[17_000] = [seq, 'f'.repeat(64), json].join('\t');
    await writeLines(dir, lines);
    const res = await verifySh(dir);
    assert.equal(res.code, 1, res.stdout);
    assert.match(res.stdout, new RegExp(`FAIL line 17001: prev is ${'f'.repeat(64)} but sha256\\(line 17000`));
  });

  test('a last line without its newline is hashed as the walk by hand hashes it', async () => {
    const dir = await copyKit('no-final-newline');
    const text = await fs.readFile(path.join(dir, 'ledger.tsv'), 'utf8');
    await fs.writeFile(path.join(dir, 'ledger.tsv'), text.slice(0, -1));
    const res = await verifySh(dir);
    assert.equal(res.code, 0, res.stdout + res.stderr);
  });
});

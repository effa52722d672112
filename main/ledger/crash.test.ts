import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Ledger } from './ledger.js';

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const ledgerModuleUrl = new URL('./ledger.js', import.meta.url).href;

const APPENDER = `
const { Ledger } = await import(${JSON.stringify(ledgerModuleUrl)});
const ledger = Ledger.open(process.argv[2], { operator: { name: 'crash-test' } });
ledger.append('test.note', { i: 0 });
process.stdout.write('appending\\n');
for (let i = 1; ; i++) ledger.append('test.note', { i, padding: 'x'.repeat(i % 500) });
`;

test('SIGKILL mid-append leaves a valid chain', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-crash-'));
  tempDirs.push(dir);
  const script = path.join(dir, 'appender.mjs');
  fs.writeFileSync(script, APPENDER);
  const file = path.join(dir, 'ledger.sqlite');

  const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', () => reject(new Error(`appender exited early: ${stderr}`)));
  });
  await sleep(300);
  child.kill('SIGKILL');
  const { signal } = await exited;
  assert.equal(signal, 'SIGKILL', stderr);

  const ledger = Ledger.open(file, { operator: { name: 'auditor' } });
  const result = await ledger.verify();
  ledger.close();
  assert.deepEqual(result.problems, []);
  assert.equal(result.ok, true);
  assert.ok(result.count > 1, `count ${result.count}`);
});

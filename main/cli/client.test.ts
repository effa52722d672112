import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHost, type Host } from '../host/server.js';
import { ferry, tempDir } from '../testing/cli.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { loginToHost, WsRpc } from '../testing/ws-client.js';

/** The CLI is a client of the wizard's methods: its --json result is what the browser host answers the wizard for the same request. */
describe('ferry --json prints what the RPC method answers the wizard', () => {
  let work: string;
  let home: string;
  let store: string;
  let host: Host;
  let rpc: WsRpc;

  const call = async (method: string, params: unknown = {}) => {
    const r = await rpc.call(method, params);
    assert.ok(r.ok, `${method}: ${r.error?.code} ${r.error?.message}`);
    return r.result;
  };
  const cliResult = async (args: string[]) => {
    const run = await ferry(home, [...args, '--json']);
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as { result: unknown }).result;
  };

  before(async () => {
    work = await tempDir('cli-client');
    home = path.join(work, 'home');
    store = path.join(work, 'store');
    await makeOllamaStore(store, [
      { name: 'granite4.1:8b', family: 'granite', quantization: 'Q4_K_M' },
      { name: 'gpt-oss:120b-cloud', cloud: { host: 'https://ollama.com:443', model: 'gpt-oss:120b' } },
    ]);
    await fs.mkdir(path.join(work, 'renderer'));
    await fs.writeFile(path.join(work, 'renderer', 'index.html'), '<!doctype html><title>Ferry</title>');
    host = await startHost({ home, rendererDir: path.join(work, 'renderer'), browseRoots: [work] });
    const session = await loginToHost(host.url);
    rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
    await call('fs.list', { path: work });
  });
  after(async () => {
    rpc?.close();
    await host?.close();
    await fs.rm(work, { recursive: true, force: true });
  });

  test('ferry ollama ls --json equals ollama.list', async () => {
    assert.deepEqual(await cliResult(['ollama', 'ls', '--store', store]), await call('ollama.list', { store }));
  });

  test('ferry keys show --json equals keys.show', async () => {
    assert.deepEqual(await cliResult(['keys', 'show']), await call('keys.show'));
  });

  test('ferry ledger verify --json equals ledger.verify', async () => {
    assert.deepEqual(await cliResult(['ledger', 'verify']), await call('ledger.verify'));
  });

  test('ferry inspect --json equals import.inspect', async () => {
    const runbook = path.join(work, 'runbook.md');
    await fs.writeFile(runbook, '# Runbook\n');
    const bundle = path.join(work, 'inspected');
    assert.equal((await ferry(home, ['export', '--out', bundle, '--file', runbook])).code, 0);
    const inspected = await cliResult(['inspect', bundle]);
    assert.deepEqual(inspected, await call('import.inspect', { dir: bundle }));
    assert.equal((inspected as { verified: boolean }).verified, false);
  });

  test('ferry ledger checkpoint --json is what ledger.checkpoint answers, a line recorded each time', async () => {
    const first = (await cliResult(['ledger', 'checkpoint'])) as { recordedAt: number; count: number };
    const second = (await call('ledger.checkpoint')) as { recordedAt: number; count: number };
    assert.deepEqual(Object.keys(first).sort(), Object.keys(second).sort());
    assert.equal(second.count, first.recordedAt, 'the second checkpoint covers the line that recorded the first');
  });
});

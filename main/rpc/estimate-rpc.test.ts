import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { startHost, type Host } from '../host/server.js';
import { tempDir } from '../testing/cli.js';
import { makeHfCache } from '../testing/hf-fixture.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { loginToHost, WsRpc } from '../testing/ws-client.js';

describe('export.estimate over the browser host: sizes only, the real export’s byte count', () => {
  let work: string;
  let host: Host;
  let rpc: WsRpc;
  let selection: Record<string, unknown>;

  const call = async (method: string, params: unknown = {}) => {
    const r = await rpc.call(method, params);
    assert.ok(r.ok, `${method}: ${r.error?.code} ${r.error?.message}`);
    return r.result;
  };

  before(async () => {
    work = await tempDir('rpc-estimate');
    const files = path.join(work, 'files');
    await fs.mkdir(path.join(files, 'docs', 'deep'), { recursive: true });
    await fs.writeFile(path.join(files, 'docs', 'readme.txt'), 'carry me\n');
    await fs.writeFile(path.join(files, 'docs', 'deep', 'data.bin'), Buffer.alloc(70_001, 7));
    await fs.writeFile(path.join(files, 'single.txt'), 'one file on its own\n');
    await makeOllamaStore(path.join(work, 'store'), [{ name: 'granite4.1:8b', modelBytes: 2 * 1024 * 1024 + 17 }]);
    await makeHfCache(path.join(work, 'hf'));
    await fs.mkdir(path.join(work, 'usb'));
    await fs.mkdir(path.join(work, 'renderer'));
    await fs.writeFile(path.join(work, 'renderer', 'index.html'), '<!doctype html><title>Ferry</title>');
    host = await startHost({ home: path.join(work, 'home'), rendererDir: path.join(work, 'renderer'), browseRoots: [work] });
    const session = await loginToHost(host.url);
    rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
    await call('fs.list', { path: work, includeFiles: true });
    await call('fs.list', { path: files, includeFiles: true });
    selection = {
      store: path.join(work, 'store'),
      models: ['granite4.1:8b'],
      hfCache: path.join(work, 'hf'),
      hf: ['acme/tiny-embed@main'],
      files: [path.join(files, 'docs'), path.join(files, 'single.txt')],
      volumeSize: 1024 * 1024,
      destination: path.join(work, 'usb'),
    };
  });
  after(async () => {
    rpc?.close();
    await host?.close();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('files, an Ollama model and a Hugging Face repo: the estimate is the exported bundle’s tar size, byte for byte', async () => {
    const estimate = await call('export.estimate', selection);
    assert.equal(estimate.volumeCount, Math.ceil(estimate.tarSize / (1024 * 1024)));
    const job = await call('export.start', { ...selection, name: 'estimated' });
    const done = (await rpc.waitFor((e) => e.data.id === job.id && e.data.state !== 'running')).data;
    assert.equal(done.state, 'completed', JSON.stringify(done.error));
    const index = JSON.parse(await fs.readFile(path.join(work, 'usb', 'estimated', 'BUNDLE.json'), 'utf8'));
    assert.equal(estimate.tarSize, index.tar.size);
    const volumes = await Promise.all(index.volumes.map((v: { file: string }) => fs.stat(path.join(work, 'usb', 'estimated', v.file))));
    assert.equal(
      volumes.reduce((sum, v) => sum + v.size, 0),
      index.tar.size,
      'the volumes hold the tar stream the estimate counted',
    );
  });

  test('a 300 MB file estimates in under 50 ms (median of 7 calls): it is stat’ed, not read', async () => {
    const big = path.join(work, 'files', 'big.img');
    const handle = await fs.open(big, 'w');
    await handle.truncate(300 * 1024 * 1024);
    await handle.close();
    await call('fs.list', { path: path.join(work, 'files'), includeFiles: true });
    const params = { files: [big], volumeSize: 1024 * 1024 * 1024, destination: path.join(work, 'usb') };
    const times: number[] = [];
    let tarSize = 0;
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      tarSize = (await call('export.estimate', params)).tarSize;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    assert.ok(tarSize > 300 * 1024 * 1024, `the estimate counts the file: ${tarSize}`);
    assert.ok(times[3]! < 50, `median ${times[3]!.toFixed(1)} ms (all: ${times.map((t) => t.toFixed(0)).join(', ')})`);
  });
});

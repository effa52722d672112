/**
 * Responsiveness: the dispatcher answers `app.ping` over the browser host's WebSocket while a large
 * export runs as a job. The engine works in a worker thread, so the p99 should stay far below 50 ms.
 *   npm run bench:latency -- [--gib 2] [--interval-ms 20]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startHost } from '../main/host/server.js';
import { makeOllamaStore } from '../main/testing/ollama-fixture.js';
import { loginToHost, WsRpc } from '../main/testing/ws-client.js';

const { values } = parseArgs({ options: { gib: { type: 'string', default: '2' }, 'interval-ms': { type: 'string', default: '20' }, dir: { type: 'string' } } });
const gib = Number(values.gib);
const intervalMs = Number(values['interval-ms']);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const work = await fs.mkdtemp(path.join(values.dir ?? os.tmpdir(), 'ferry-bench-latency-'));
try {
  console.log(`Building a ${gib} GiB model fixture in ${work} …`);
  const store = path.join(work, 'store');
  await makeOllamaStore(store, [{ name: 'bench:latency', modelBytes: Math.round(gib * 1024 ** 3) }]);
  await fs.mkdir(path.join(work, 'out'));
  const host = await startHost({ home: path.join(work, 'home'), rendererDir: work });
  const session = await loginToHost(host.url);
  const rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
  await rpc.call('fs.list', { path: work });

  const idle: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await rpc.call('app.ping');
    idle.push(performance.now() - t);
  }

  const started = await rpc.call('export.start', { store, models: ['bench:latency'], volumeSize: 4 * 1024 ** 3 - 1, destination: path.join(work, 'out'), name: 'bench' });
  if (!started.ok) throw new Error(started.error!.message);
  const id = started.result.id as string;
  const busy: number[] = [];
  const t0 = performance.now();
  let finished = false;
  const done = rpc.waitFor((e) => e.event === 'job.updated' && e.data.id === id && e.data.state !== 'running', 30 * 60_000).then((e) => {
    finished = true;
    return e;
  });
  while (!finished) {
    const t = performance.now();
    await rpc.call('app.ping');
    busy.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const final = await done;
  const seconds = (performance.now() - t0) / 1000;
  rpc.close();
  await host.close();
  if (final.data.state !== 'completed') throw new Error(`export ${final.data.state}: ${final.data.error?.message}`);

  const report = (label: string, samples: number[]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(`${label.padEnd(26)} n=${String(sorted.length).padStart(5)}  p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  max ${sorted[sorted.length - 1]!.toFixed(2)} ms`);
    return percentile(sorted, 99);
  };
  console.log(`\nMachine: ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, node ${process.version}`);
  report('ping, idle', idle);
  const p99 = report(`ping during ${gib} GiB export`, busy);
  console.log(`export took ${seconds.toFixed(1)} s (${((gib * 1024) / seconds).toFixed(0)} MiB/s)`);
  console.log(`target p99 < 50 ms: ${p99 < 50 ? 'PASS' : 'MISS'}`);
  console.log(JSON.stringify({ bench: 'dispatcher-latency', gib, p99Ms: Number(p99.toFixed(2)), samples: busy.length, exportSeconds: Number(seconds.toFixed(1)) }));
} finally {
  await fs.rm(work, { recursive: true, force: true });
}

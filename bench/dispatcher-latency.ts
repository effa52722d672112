/**
 * Responsiveness (issue 7): all heavy work runs in workers, so ONE dispatcher keeps answering while a
 * 4 GiB export and a 1 GiB registry push run at once.
 *
 * The dispatcher is the browser host as the wizard uses it: `ferry serve` in its own process (FERRY_HOME
 * in the work folder), reached over its WebSocket with the session cookie. This script is the client, as
 * the browser would be. It:
 *   1. builds a 4 GiB Ollama store (the export's source) and, with the CLI in another FERRY_HOME
 *      (`node bin/ferry.js export`), a bundle holding a 1 GiB model (the import's source);
 *   2. starts a Debian `docker-registry` on 127.0.0.1 and `ferry serve --root WORK` (the work folder,
 *      outside the default browse roots); trusts the bundle's key (keys.trust) and lists the folders (fs.list), as the wizard does;
 *   3. sends `app.ping` every --interval-ms with nothing running (the idle baseline);
 *   4. starts, at the same moment, export.start (the 4 GiB model to a folder) and import.start (the bundle
 *      into the registry: verification, then the chunked push), and keeps pinging on the same fixed
 *      schedule until both jobs end. Pings do not wait for each other, so a stall shows up in every ping
 *      it delays, not just one.
 * Prints p50/p95/p99/max round trips idle, while both jobs run, and while any runs; each job's time and
 * throughput; the machine; PASS/FAIL against p99 < 50 ms; then a JSON summary. Everything it created is
 * removed at the end, on failure and on Ctrl+C too.
 *
 *   npm run bench:latency -- [--export-gib 4] [--push-gib 1] [--interval-ms 20] [--idle-seconds 10]
 *                            [--dir DIR] [--cpu-prof DIR]
 *   Sizes also from FERRY_BENCH_EXPORT_GIB and FERRY_BENCH_PUSH_GIB (a flag wins), to try it small first.
 *   --cpu-prof DIR writes V8 CPU profiles of the host process (main thread and workers) into DIR.
 *
 * Exit 0 whether or not the target is met (it is a report); 1 when a step fails; 2 on bad arguments.
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeOllamaStore } from '../main/testing/ollama-fixture.js';
import { startRegistry, type TestRegistry } from '../main/testing/registry-server.js';
import { loginToHost, WsRpc } from '../main/testing/ws-client.js';
import { pinger, statsOf, type Stats } from './latency-stats.js';
import { assertStored } from './registry-check.js';
import { call, startServe, waitForJob, type HostProcess, type JobOutcome } from './serve-host.js';
import {
  commandExists,
  createDir,
  describeMachine,
  exitOnSignal,
  failureMessage,
  freeBytes,
  GiB,
  makeWorkDir,
  printMachine,
  printTable,
  round,
  run,
  StepError,
} from './support.js';

const TARGET_P99_MS = 50;
const FERRY_BIN = fileURLToPath(new URL('../../bin/ferry.js', import.meta.url));
const OPERATOR = 'Bench Operator';
const REPO = 'bench';
/** The wizard's default volume size: the FAT32 file limit. */
const VOLUME_SIZE = 4 * GiB - 1;
const USAGE =
  'usage: npm run bench:latency -- [--export-gib 4] [--push-gib 1] [--interval-ms 20] [--idle-seconds 10] [--dir DIR] [--cpu-prof DIR]\n' +
  '       (sizes also from FERRY_BENCH_EXPORT_GIB, FERRY_BENCH_PUSH_GIB)';

interface Options {
  exportGib: number;
  pushGib: number;
  intervalMs: number;
  idleSeconds: number;
  dir: string;
  cpuProf?: string;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      'export-gib': { type: 'string' },
      'push-gib': { type: 'string' },
      'interval-ms': { type: 'string', default: '20' },
      'idle-seconds': { type: 'string', default: '10' },
      dir: { type: 'string' },
      'cpu-prof': { type: 'string' },
    },
  });
  const size = (flag: string, given: string | undefined, env: string, fallback: string) => {
    const text = given ?? process.env[env] ?? fallback;
    const gib = Number(text);
    if (!Number.isFinite(gib) || gib <= 0 || gib > 1024)
      throw new RangeError(`${given !== undefined ? `--${flag}` : env} "${text}": give a size in GiB, e.g. 4 or 0.25`);
    return gib;
  };
  const intervalMs = Number(values['interval-ms']);
  if (!Number.isFinite(intervalMs) || intervalMs < 1 || intervalMs > 1000) throw new RangeError(`--interval-ms "${values['interval-ms']}": give 1 to 1000`);
  const idleSeconds = Number(values['idle-seconds']);
  if (!Number.isFinite(idleSeconds) || idleSeconds < 1 || idleSeconds > 600) throw new RangeError(`--idle-seconds "${values['idle-seconds']}": give 1 to 600`);
  return {
    exportGib: size('export-gib', values['export-gib'], 'FERRY_BENCH_EXPORT_GIB', '4'),
    pushGib: size('push-gib', values['push-gib'], 'FERRY_BENCH_PUSH_GIB', '1'),
    intervalMs,
    idleSeconds,
    dir: path.resolve(values.dir ?? os.tmpdir()),
    ...(values['cpu-prof'] ? { cpuProf: path.resolve(values['cpu-prof']) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Fixtures

interface Fixture {
  store: string;
  model: string;
  out: string;
  bundleDir: string;
  bundle: string;
  pushDigest: string;
}

async function buildFixture(work: string, o: Options): Promise<Fixture> {
  const store = path.join(work, 'export-store');
  const model = 'bench:export';
  let t = performance.now();
  await makeOllamaStore(store, [{ name: model, modelBytes: Math.round(o.exportGib * GiB) }]);
  console.log(`  export source: a ${o.exportGib} GiB Ollama store, built in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  t = performance.now();
  const pushStore = path.join(work, 'push-store');
  const pushModel = 'granite4.1:8b';
  const { models } = await makeOllamaStore(pushStore, [{ name: pushModel, modelBytes: Math.round(o.pushGib * GiB) }]);
  const bundleDir = path.join(work, 'media');
  const bundle = path.join(bundleDir, 'push-bundle');
  await run(process.execPath, [FERRY_BIN, 'export', '--out', bundle, '--ollama-store', pushStore, '--ollama', pushModel, '--volume-size', '4GiB'], {
    ...process.env,
    FERRY_HOME: path.join(work, 'site-a-home'),
    FERRY_OPERATOR: OPERATOR,
  });
  await fsp.rm(pushStore, { recursive: true, force: true }); // the bundle holds its own copy
  console.log(
    `  push source: a bundle of a ${o.pushGib} GiB model, exported with the CLI in another FERRY_HOME, in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const out = path.join(work, 'out');
  await fsp.mkdir(out);
  return { store, model, out, bundleDir, bundle, pushDigest: models[0]!.blobs[1]! };
}

// ---------------------------------------------------------------------------------------------------
// The run

interface Measured {
  idle: Stats;
  both: Stats;
  any: Stats;
  exportJob: JobOutcome;
  importJob: JobOutcome;
  exportBytes: number;
  pushBytes: number;
  load: { before: number[]; after: number[] };
}

async function measure(work: string, o: Options, f: Fixture, registry: TestRegistry, host: HostProcess): Promise<Measured> {
  const session = await loginToHost(host.url);
  const rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
  try {
    // As the wizard: trust the sending site's key (pasted), and grant folders by browsing them.
    await call(rpc, 'keys.trust', { pem: await fsp.readFile(path.join(f.bundle, 'signer.pub.pem'), 'utf8') });
    await call(rpc, 'fs.list', { path: work });
    await call(rpc, 'fs.list', { path: f.bundleDir });

    // Warm up (JIT, sockets), then the idle baseline on the same schedule as the busy run.
    for (let i = 0; i < 50; i++) await call(rpc, 'app.ping');
    await run('sync', []); // the fixtures' writeback stays out of both windows
    const load = { before: os.loadavg().map(round), after: [] as number[] };
    const idlePinger = pinger(rpc, o.intervalMs);
    await new Promise((resolve) => setTimeout(resolve, o.idleSeconds * 1000));
    const idle = statsOf(await idlePinger.stop());
    console.log(`  idle: ${idle.n} pings, p99 ${idle.p99.toFixed(2)} ms`);

    const busyPinger = pinger(rpc, o.intervalMs);
    const startedAt = performance.now();
    const [exportJob, importJob] = await Promise.all([
      call(rpc, 'export.start', { store: f.store, models: [f.model], volumeSize: VOLUME_SIZE, destination: f.out, name: 'bench-export' }),
      call(rpc, 'import.start', { request: { dir: f.bundle, toRegistry: { target: `${registry.host}/${REPO}`, access: { plainHttp: true } } } }),
    ]);
    console.log(`  both jobs started (export ${exportJob.id}, import ${importJob.id}); pinging every ${o.intervalMs} ms until both end …`);
    const outcomes = await Promise.all([waitForJob(rpc, exportJob.id), waitForJob(rpc, importJob.id)]);
    const samples = await busyPinger.stop();
    load.after = os.loadavg().map(round);
    const [exported, imported] = outcomes;
    for (const [label, job] of [
      ['export', exported],
      ['import', imported],
    ] as const) {
      if (job.state !== 'completed') throw new StepError(`the ${label} job ended ${job.state}${job.error ? `: ${job.error}` : ''}`);
    }
    const firstEnd = Math.min(exported.endedAt, imported.endedAt);
    const result = (await call(rpc, 'jobs.list')).jobs.find((j: { id: string }) => j.id === exportJob.id)?.result as { tarSize: number } | undefined;
    await assertStored(registry, f.pushDigest, Math.round(o.pushGib * GiB), 'the import');
    return {
      idle,
      both: statsOf(samples.filter((s) => s.sentAt >= startedAt && s.sentAt < firstEnd)),
      any: statsOf(samples),
      exportJob: exported,
      importJob: imported,
      exportBytes: result?.tarSize ?? Math.round(o.exportGib * GiB),
      pushBytes: Math.round(o.pushGib * GiB),
      load,
    };
  } finally {
    rpc.close();
  }
}

function report(o: Options, m: Measured) {
  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '-');
  const row = (label: string, s: Stats) => [label, String(s.n), String(s.lost), ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), ms(s.p99 / m.idle.p99) + 'x'];
  const overlap = Math.min(m.exportJob.seconds, m.importJob.seconds);
  console.log(`\n== app.ping round trips (ms), one every ${o.intervalMs} ms, while a ${o.exportGib} GiB export and a ${o.pushGib} GiB push run as jobs ==`);
  printTable([
    ['window', 'pings', 'lost', 'p50', 'p95', 'p99', 'max', 'p99/idle'],
    row(`idle (${o.idleSeconds} s, nothing running)`, m.idle),
    row(`both jobs running (~${overlap.toFixed(0)} s)`, m.both),
    row('any job running (whole run)', m.any),
  ]);
  const mbps = (bytes: number, s: number) => (bytes / s / 1e6).toFixed(1);
  console.log('');
  printTable([
    ['job', 'bytes', 'seconds', 'MB/s'],
    [
      `export of a ${o.exportGib} GiB model to a folder (volumes ${(VOLUME_SIZE / GiB).toFixed(0)} GiB)`,
      String(m.exportBytes),
      m.exportJob.seconds.toFixed(1),
      mbps(m.exportBytes, m.exportJob.seconds),
    ],
    [
      `import of a ${o.pushGib} GiB bundle into docker-registry (verify + push)`,
      String(m.pushBytes),
      m.importJob.seconds.toFixed(1),
      mbps(m.pushBytes, m.importJob.seconds),
    ],
  ]);
  console.log(`\n  load average before ${m.load.before.join(' ')}, after ${m.load.after.join(' ')} (1, 5, 15 min)`);
  const worst = Math.max(m.both.p99, m.any.p99);
  const pass = worst < TARGET_P99_MS && m.both.lost === 0 && m.any.lost === 0;
  console.log(
    `\n${pass ? 'PASS' : 'FAIL'}: dispatcher p99 ${ms(worst)} ms while the jobs ran (idle p99 ${ms(m.idle.p99)} ms); target p99 < ${TARGET_P99_MS} ms${m.any.lost ? `; ${m.any.lost} pings unanswered` : ''}`,
  );
  const stats = (s: Stats) => ({ n: s.n, lost: s.lost, p50: round(s.p50), p95: round(s.p95), p99: round(s.p99), max: round(s.max) });
  return {
    exportGib: o.exportGib,
    pushGib: o.pushGib,
    intervalMs: o.intervalMs,
    pingMs: { idle: stats(m.idle), bothJobs: stats(m.both), anyJob: stats(m.any) },
    jobs: {
      export: { bytes: m.exportBytes, seconds: round(m.exportJob.seconds), mbPerSecond: Number(mbps(m.exportBytes, m.exportJob.seconds)) },
      import: { bytes: m.pushBytes, seconds: round(m.importJob.seconds), mbPerSecond: Number(mbps(m.pushBytes, m.importJob.seconds)) },
    },
    loadAverage: m.load,
    targetP99Ms: TARGET_P99_MS,
    pass,
  };
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions();
  } catch (err) {
    console.error(`bench:latency: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!(await commandExists('docker-registry'))) {
    console.error('bench:latency: docker-registry is not installed (apt-get install docker-registry); the push goes to one.');
    return 1;
  }
  console.log('Ferry dispatcher latency benchmark (issue 7)');
  const removeCreatedDir = await createDir(options.dir);
  // The export's source and output, the bundle, its model's store until the bundle is made, the registry's copy.
  const needed = (2 * options.exportGib + 3 * options.pushGib) * GiB + 0.5 * GiB;
  const free = await freeBytes(options.dir);
  console.log(`  space    ${(needed / GiB).toFixed(1)} GiB needed, ${(free / GiB).toFixed(1)} GiB free in ${options.dir}`);
  if (free < needed) {
    console.error(`bench:latency: not enough space in ${options.dir}; use --dir on a bigger disk or smaller sizes.`);
    removeCreatedDir();
    return 1;
  }

  const { work, cleanup } = await makeWorkDir(options.dir, 'ferry-bench-latency-', removeCreatedDir);
  let registry: TestRegistry | undefined;
  let host: HostProcess | undefined;
  const stopAll = async () => {
    await host?.stop();
    await registry?.stop();
  };
  const removeSignalHandlers = exitOnSignal(async () => {
    await stopAll();
    cleanup();
  });
  try {
    const info = {
      ...(await describeMachine(work)),
      freeGiB: Number((free / GiB).toFixed(1)),
      registry: (await run('docker-registry', ['--version']).catch(() => 'unknown')).trim(),
    };
    printMachine(info, work);
    console.log(`  disk     ${info.freeGiB} GiB free before the run`);
    console.log(`  registry ${info.registry} on 127.0.0.1`);
    console.log(
      `  host     \`ferry serve\` in its own process (FERRY_HOME in the folder above); this script is its WebSocket client${options.cpuProf ? `; CPU profiles to ${options.cpuProf}` : ''}`,
    );
    console.log(`\nBuilding the fixtures …`);
    const fixture = await buildFixture(work, options);
    registry = await startRegistry({ storage: path.join(work, 'registry') });
    if (options.cpuProf) await fsp.mkdir(options.cpuProf, { recursive: true });
    host = await startServe(path.join(work, 'host-home'), work, OPERATOR, options.cpuProf);
    console.log(`\nMeasuring: ${options.idleSeconds} s idle, then both jobs at once …`);
    const measured = await measure(work, options, fixture, registry, host);
    await host.stop(); // a clean exit, so --cpu-prof writes its profiles
    const result = report(options, measured);
    console.log('\nsummary (JSON):');
    console.log(JSON.stringify({ bench: 'dispatcher-latency', machine: info, result }));
    return 0;
  } catch (err) {
    console.error(`\nbench:latency: a step failed: ${failureMessage(err)}`);
    return 1;
  } finally {
    // The handlers stay until the end: a Ctrl+C during cleanup runs the same (idempotent) cleanup.
    await stopAll();
    cleanup();
    removeSignalHandlers();
  }
}

process.exitCode = await main();

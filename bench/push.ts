/**
 * Registry push benchmark: in one run, imports an N GiB Ollama model bundle into a registry with the
 * real CLI (`ferry import --to-registry`, verification included) and compares it with a monolithic
 * curl upload of the same blob and with `skopeo copy` of the same bytes. Every push goes to a fresh
 * docker-registry on loopback. Prints times, MB/s, ratios and Ferry's peak RSS, then a JSON summary.
 *
 *   npm run bench:push -- [--gib 1] [--runs 1] [--dir DIR] [--chunk-size SIZE] [--concurrency N]
 *
 * Exit 0 as a report (there are no targets here); 1 when a step fails; 2 on bad arguments.
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseVolumeSize } from '../main/bundle/volume-size.js';
import { makeOllamaStore } from '../main/testing/ollama-fixture.js';
import { startRegistry, type TestRegistry } from '../main/testing/registry-server.js';
import {
  commandExists,
  createDir,
  describeMachine,
  exitOnSignal,
  failureMessage,
  freeBytes,
  GiB,
  makeOciLayout,
  makeWorkDir,
  median,
  parseRuns,
  printMachine,
  printTable,
  readPeakRssMB,
  readThrough,
  round,
  run,
  runFerry,
  runsLabel,
  StepError,
  timed,
} from './support.js';

/** Peak use: the store, the bundle, and one registry's copy at a time (the skopeo layout is a hard link). */
const SPACE_FACTOR = 3.2;
const REPO = 'bench';
const USAGE = 'usage: npm run bench:push -- [--gib 1] [--runs 1] [--dir DIR] [--chunk-size SIZE] [--concurrency N]';

interface Options {
  gib: number;
  runs: number;
  dir: string;
  chunkSize?: string;
  concurrency?: string;
}

interface Fixture {
  dir: string;
  bundle: string;
  signerPub: string;
  importHome: string;
  blob: string;
  digest: string;
  bytes: number;
  layout: string;
}

type Step = 'verify' | 'import' | 'curl' | 'skopeo';

/** Registries started and not yet stopped, so a signal can stop them. */
const registries = new Set<TestRegistry>();

/** Runs `ferry ARGV` with FERRY_HOME=home in a child that records its peak RSS; returns it in MB. */
async function ferry(home: string, rssFile: string, argv: string[]): Promise<number> {
  await runFerry(home, rssFile, argv);
  return readPeakRssMB(rssFile);
}

async function readThroughDir(dir: string): Promise<void> {
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) await readThrough(path.join(dir, entry.name));
  }
}

/** Starts a fresh registry storing under `storage`, runs `use`, then stops it and removes its storage. */
async function withRegistry<T>(storage: string, use: (registry: TestRegistry) => Promise<T>): Promise<T> {
  const registry = await startRegistry({ storage });
  registries.add(registry);
  try {
    return await use(registry);
  } finally {
    await registry.stop();
    registries.delete(registry);
    await fsp.rm(storage, { recursive: true, force: true });
  }
}

/** Fails the step unless the registry holds the blob, whole: a baseline that uploaded nothing would look fast. */
async function assertStored(registry: TestRegistry, digest: string, bytes: number, step: string): Promise<void> {
  const hex = digest.slice('sha256:'.length);
  const data = path.join(registry.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  const size = await fsp.stat(data).then(
    (s) => s.size,
    () => null,
  );
  if (size !== bytes)
    throw new StepError(`${step}: the registry does not hold ${digest} (${bytes} bytes) afterwards (${size === null ? 'absent' : `${size} bytes`})`);
}

/** The store, a bundle exported from it by one site, and a second site's FERRY_HOME to import with. */
async function buildFixture(work: string, bytes: number, withSkopeo: boolean): Promise<Fixture> {
  const dir = path.join(work, 'fixture');
  const store = path.join(dir, 'store');
  const bundle = path.join(dir, 'bundle');
  const importHome = path.join(dir, 'import-home');
  const name = 'granite4.1:8b';
  const { models } = await makeOllamaStore(store, [{ name, modelBytes: bytes }]);
  const digest = models[0]!.blobs[1]!; // the config comes first, then the model layer
  const blob = path.join(store, 'blobs', digest.replace('sha256:', 'sha256-'));
  const rss = path.join(dir, 'rss.json');
  await ferry(path.join(dir, 'export-home'), rss, ['export', '--out', bundle, '--ollama-store', store, '--ollama', name, '--volume-size', '4GiB']);
  // Creates the importing site's key now, so no timed step pays for it.
  await ferry(importHome, rss, ['keys', 'show']);
  const layout = path.join(dir, 'oci');
  if (withSkopeo) await makeOciLayout(layout, blob, digest, bytes);
  return { dir, bundle, signerPub: path.join(bundle, 'signer.pub.pem'), importHome, blob, digest, bytes, layout };
}

async function timeVerify(f: Fixture): Promise<{ seconds: number; rssMB: number }> {
  await readThroughDir(f.bundle);
  let rssMB = 0;
  const seconds = await timed(
    async () => (rssMB = await ferry(f.importHome, path.join(f.dir, 'rss.json'), ['verify', f.bundle, '--trust', f.signerPub])),
    'until-exit',
  );
  return { seconds, rssMB };
}

async function timeImport(f: Fixture, registry: TestRegistry, o: Options): Promise<{ seconds: number; rssMB: number }> {
  const argv = ['import', f.bundle, '--trust', f.signerPub, '--to-registry', `${registry.host}/${REPO}`, '--plain-http'];
  if (o.chunkSize) argv.push('--chunk-size', o.chunkSize);
  if (o.concurrency) argv.push('--concurrency', o.concurrency);
  await readThroughDir(f.bundle);
  let rssMB = 0;
  const seconds = await timed(async () => (rssMB = await ferry(f.importHome, path.join(f.dir, 'rss.json'), argv)), 'until-exit');
  await assertStored(registry, f.digest, f.bytes, 'ferry import');
  return { seconds, rssMB };
}

/** POST for an upload session, then the whole blob in one PUT ?digest=. */
async function curlUpload(registry: TestRegistry, f: Fixture): Promise<void> {
  const headers = await run('curl', ['-sSf', '-X', 'POST', '-D', '-', '-o', '/dev/null', `${registry.url}/v2/${REPO}/blobs/uploads/`]);
  const location = /^location:\s*(\S+)/im.exec(headers)?.[1];
  if (!location) throw new StepError(`curl: the registry answered the POST without a Location:\n${headers.trim()}`);
  const url = new URL(location, registry.url).href;
  // -T streams the file; --data-binary @FILE would first read the whole blob into curl's memory.
  // 'Expect:' drops curl's 100-continue handshake so no round trip is spent waiting for it.
  await run('curl', [
    '-sSf',
    '-T',
    f.blob,
    '-H',
    'Content-Type: application/octet-stream',
    '-H',
    'Expect:',
    `${url}${url.includes('?') ? '&' : '?'}digest=${f.digest}`,
  ]);
}

async function timeCurl(f: Fixture, registry: TestRegistry): Promise<number> {
  await readThrough(f.blob);
  const seconds = await timed(() => curlUpload(registry, f), 'until-exit');
  await assertStored(registry, f.digest, f.bytes, 'curl');
  return seconds;
}

async function timeSkopeo(f: Fixture, registry: TestRegistry): Promise<number> {
  await readThrough(f.blob);
  // --preserve-digests: otherwise skopeo gzips the uncompressed layer on the way (a different blob).
  // --insecure-policy: do not depend on the machine's /etc/containers/policy.json.
  const args = [
    'copy',
    '--quiet',
    '--insecure-policy',
    '--preserve-digests',
    '--dest-tls-verify=false',
    `oci:${f.layout}:bench`,
    `docker://${registry.host}/${REPO}/skopeo:bench`,
  ];
  const tmp = path.join(f.dir, 'tmp');
  await fsp.mkdir(tmp, { recursive: true });
  const seconds = await timed(() => run('skopeo', args, { ...process.env, TMPDIR: tmp }), 'until-exit');
  await fsp.rm(tmp, { recursive: true, force: true });
  await assertStored(registry, f.digest, f.bytes, 'skopeo');
  return seconds;
}

interface Results {
  all: Record<Step, number[]>;
  rssMB: { import: number; verify: number };
}

async function benchmark(work: string, o: Options, tools: { curl: boolean; skopeo: boolean }): Promise<Results> {
  const bytes = Math.round(o.gib * GiB);
  const started = performance.now();
  const f = await buildFixture(work, bytes, tools.skopeo);
  console.log(`  fixture store and bundle built in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const all: Record<Step, number[]> = { verify: [], import: [], curl: [], skopeo: [] };
  const rssMB = { import: 0, verify: 0 };
  const storage = path.join(work, 'registry');
  for (let i = 0; i < o.runs; i++) {
    const verify = await timeVerify(f);
    all.verify.push(verify.seconds);
    const imported = await withRegistry(storage, (r) => timeImport(f, r, o));
    all.import.push(imported.seconds);
    rssMB.verify = Math.max(rssMB.verify, verify.rssMB);
    rssMB.import = Math.max(rssMB.import, imported.rssMB);
    if (tools.curl) all.curl.push(await withRegistry(storage, (r) => timeCurl(f, r)));
    if (tools.skopeo) all.skopeo.push(await withRegistry(storage, (r) => timeSkopeo(f, r)));
    const last = (s: Step) => (all[s].length > i ? `${all[s][i]!.toFixed(2)} s` : 'skipped');
    console.log(`  run ${i + 1}/${o.runs}: ferry import ${last('import')} (verify alone ${last('verify')}), curl ${last('curl')}, skopeo ${last('skopeo')}`);
  }
  return { all, rssMB };
}

function report(o: Options, r: Results) {
  const bytes = Math.round(o.gib * GiB);
  const med = (s: Step) => (r.all[s].length ? median(r.all[s]) : null);
  const seconds = { verify: med('verify')!, import: med('import')!, curl: med('curl'), skopeo: med('skopeo') };
  const push = seconds.import - seconds.verify;
  const ratio = (a: number | null, b: number | null) => (a === null || b === null ? null : a / b);
  const ratios = {
    ferryOverCurl: ratio(seconds.import, seconds.curl),
    ferryPushOverCurl: ratio(push, seconds.curl),
    skopeoOverFerry: ratio(seconds.skopeo, seconds.import),
  };

  const secs = (s: number | null) => (s === null ? 'skipped' : s.toFixed(2));
  const mbps = (s: number | null) => (s === null ? '' : (bytes / s / 1e6).toFixed(1));
  const times = (x: number | null) => (x === null ? '-' : `${x.toFixed(2)}x`);
  const flags = [o.chunkSize ? `--chunk-size ${o.chunkSize}` : '', o.concurrency ? `--concurrency ${o.concurrency}` : ''].filter(Boolean).join(' ');
  console.log(`\n== ${o.gib} GiB model (${bytes} bytes), ${runsLabel(o.runs)}${flags ? `, ferry ${flags}` : ''} ==`);
  const steps = [
    ['step', 'seconds', 'MB/s', 'peak RSS'],
    ['ferry import --to-registry (verify + push)', secs(seconds.import), mbps(seconds.import), `${r.rssMB.import.toFixed(1)} MB`],
    ['ferry verify alone', secs(seconds.verify), mbps(seconds.verify), `${r.rssMB.verify.toFixed(1)} MB`],
    ['  push part (import - verify)', secs(push), mbps(push), ''],
    ['curl POST + monolithic PUT', secs(seconds.curl), mbps(seconds.curl), ''],
    ['skopeo copy oci: -> docker://', secs(seconds.skopeo), mbps(seconds.skopeo), ''],
  ];
  printTable(steps);
  console.log('');
  const ratioRows = [
    ['ratio', 'value'],
    ['ferry import / curl', times(ratios.ferryOverCurl)],
    ['ferry push part / curl', times(ratios.ferryPushOverCurl)],
    ['skopeo / ferry import', times(ratios.skopeoOverFerry)],
  ];
  printTable(ratioRows);

  const nullable = (n: number | null) => (n === null ? null : round(n));
  return {
    gib: o.gib,
    bytes,
    runs: o.runs,
    ferryOptions: { chunkSize: o.chunkSize ?? null, concurrency: o.concurrency ?? null },
    seconds: {
      ferryImport: round(seconds.import),
      ferryVerify: round(seconds.verify),
      ferryPush: round(push),
      curl: nullable(seconds.curl),
      skopeo: nullable(seconds.skopeo),
    },
    ...(o.runs > 1
      ? {
          eachRun: { ferryImport: r.all.import.map(round), ferryVerify: r.all.verify.map(round), curl: r.all.curl.map(round), skopeo: r.all.skopeo.map(round) },
        }
      : {}),
    ratios: {
      ferryOverCurl: nullable(ratios.ferryOverCurl),
      ferryPushOverCurl: nullable(ratios.ferryPushOverCurl),
      skopeoOverFerry: nullable(ratios.skopeoOverFerry),
    },
    ferryPeakRssMB: { import: Number(r.rssMB.import.toFixed(1)), verify: Number(r.rssMB.verify.toFixed(1)) },
  };
}

async function firstLine(cmd: string, args: string[]): Promise<string | null> {
  return run(cmd, args).then(
    (out) => out.trim().split('\n')[0] ?? null,
    () => null,
  );
}

/** The machine, and the versions of the registry and the baselines (null where not installed). */
async function machine(work: string) {
  return {
    ...(await describeMachine(work)),
    registry: await firstLine('docker-registry', ['--version']),
    curl: await firstLine('curl', ['--version']),
    skopeo: await firstLine('skopeo', ['--version']),
  };
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      gib: { type: 'string', default: '1' },
      runs: { type: 'string', default: '1' },
      dir: { type: 'string' },
      'chunk-size': { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  const gib = Number(values.gib);
  if (!Number.isFinite(gib) || gib <= 0 || gib > 1024) throw new RangeError(`--gib "${values.gib}": give a size in GiB, e.g. 1 or 0.5`);
  const runs = parseRuns(values.runs);
  const chunkSize = values['chunk-size'];
  if (chunkSize !== undefined) parseVolumeSize(chunkSize, '--chunk-size'); // throws with Ferry's own message
  const concurrency = values.concurrency;
  if (concurrency !== undefined && !/^([1-9]|[1-5]\d|6[0-4])$/.test(concurrency))
    throw new RangeError(`--concurrency "${concurrency}": give a whole number from 1 to 64`);
  return { gib, runs, dir: path.resolve(values.dir ?? os.tmpdir()), ...(chunkSize ? { chunkSize } : {}), ...(concurrency ? { concurrency } : {}) };
}

/** Free space for SPACE_FACTOR times the model, or a message saying how much is missing. */
async function checkSpace(dir: string, gib: number): Promise<string | null> {
  const free = await freeBytes(dir);
  const needed = SPACE_FACTOR * gib * GiB;
  console.log(
    `  space    ${(needed / GiB).toFixed(1)} GiB needed (${SPACE_FACTOR} x the model: store, bundle, one registry), ${(free / GiB).toFixed(1)} GiB free in ${dir}`,
  );
  if (free >= needed) return null;
  return `${dir} has ${(free / GiB).toFixed(1)} GiB free; --gib ${gib} needs ${(needed / GiB).toFixed(1)} GiB. Use --dir on a bigger disk or a smaller --gib.`;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions();
  } catch (err) {
    console.error(`bench:push: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!(await commandExists('docker-registry'))) {
    console.error('bench:push: docker-registry is not installed (apt-get install docker-registry); every step pushes to one.');
    return 1;
  }
  console.log('Ferry registry push benchmark');
  // The first folder mkdir had to create, if any: removed at the end like the rest.
  const removeCreatedDir = await createDir(options.dir);
  const noSpace = await checkSpace(options.dir, options.gib);
  if (noSpace) {
    console.error(`bench:push: ${noSpace}`);
    removeCreatedDir();
    return 1;
  }

  const { work, cleanup } = await makeWorkDir(options.dir, 'ferry-bench-push-', removeCreatedDir);
  const stopRegistries = () => Promise.all([...registries].map((r) => r.stop()));
  const removeSignalHandlers = exitOnSignal(async () => {
    await stopRegistries();
    cleanup();
  });
  try {
    const info = await machine(work);
    const tools = { curl: info.curl !== null, skopeo: info.skopeo !== null };
    printMachine(info, work);
    console.log(`  registry ${info.registry} on 127.0.0.1, a fresh one (empty storage in the folder above) for each push`);
    console.log(`  curl     ${info.curl ?? 'not installed: curl baseline skipped'}`);
    console.log(`  skopeo   ${info.skopeo ?? 'not installed: skopeo baseline skipped (apt-get install skopeo to include it)'}`);
    console.log('  The bundle (for Ferry) or the blob (for curl and skopeo) is read through just before each step, so all');
    console.log('  start page-cache warm. Each time runs until the command exits; `sync` runs before and after, off the clock.');
    console.log('  Ferry runs the real CLI in a child process: node startup, verification of every volume, ledger included.');
    console.log(`\n${options.gib} GiB: building the fixture, then ${options.runs} run(s) of ferry verify, ferry import, curl, skopeo`);
    const result = report(options, await benchmark(work, options, tools));
    console.log('\nsummary (JSON):');
    console.log(JSON.stringify({ bench: 'ferry-push', machine: info, results: [result] }));
    return 0;
  } catch (err) {
    console.error(`\nbench:push: a step failed: ${failureMessage(err)}`);
    return 1;
  } finally {
    removeSignalHandlers();
    await stopRegistries();
    cleanup();
  }
}

process.exitCode = await main();

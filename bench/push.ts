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
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseVolumeSize } from '../main/bundle/volume-size.js';
import { table } from '../main/cli/output.js';
import { makeOllamaStore } from '../main/testing/ollama-fixture.js';
import { startRegistry, type TestRegistry } from '../main/testing/registry-server.js';

const GiB = 1024 ** 3;
/** Peak use: the store, the bundle, and one registry's copy at a time (the skopeo layout is a hard link). */
const SPACE_FACTOR = 3.2;
/** Runs one Ferry CLI invocation and records its peak RSS; shared with the export benchmark. */
const CHILD = fileURLToPath(new URL('./export-child.js', import.meta.url));
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

class StepError extends Error {}

let current: ChildProcess | undefined;
/** Registries started and not yet stopped, so a signal can stop them. */
const registries = new Set<TestRegistry>();

/** Runs a command to completion; rejects with its stderr when it fails. Returns stdout. */
function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
    current = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => reject(new StepError(`${cmd}: ${err.message}`)));
    child.on('close', (code, signal) => {
      current = undefined;
      if (code === 0) resolve(stdout);
      else reject(new StepError(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${(stderr || stdout).trim()}`));
    });
  });
}

/** Runs `ferry ARGV` with FERRY_HOME=home in a child that records its peak RSS; returns it in MB. */
async function ferry(home: string, rssFile: string, argv: string[]): Promise<number> {
  await run(process.execPath, [CHILD, '--rss-file', rssFile, ...argv], { ...process.env, FERRY_HOME: home });
  const { maxRssKiB } = JSON.parse(await fsp.readFile(rssFile, 'utf8')) as { maxRssKiB: number };
  return (maxRssKiB * 1024) / 1e6;
}

/**
 * Wall-clock seconds of `step`. The clock stops when the command exits (the registry has answered),
 * not after writeback; a `sync` on either side, off the clock, keeps one step's writeback out of the next.
 */
async function timed(step: () => Promise<unknown>): Promise<number> {
  await run('sync', []);
  const start = performance.now();
  await step();
  const seconds = (performance.now() - start) / 1000;
  await run('sync', []);
  return seconds;
}

/** Reads a file through once so it is page-cache warm for every step alike. */
async function readThrough(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r');
  const buffer = Buffer.alloc(8 * 1024 * 1024);
  try {
    while ((await handle.read(buffer, 0, buffer.length, null)).bytesRead > 0);
  } finally {
    await handle.close();
  }
}

async function readThroughDir(dir: string): Promise<void> {
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) await readThrough(path.join(dir, entry.name));
  }
}

async function commandExists(cmd: string): Promise<boolean> {
  return run('which', [cmd]).then(
    () => true,
    () => false,
  );
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
  if (size !== bytes) throw new StepError(`${step}: the registry does not hold ${digest} (${bytes} bytes) afterwards (${size === null ? 'absent' : `${size} bytes`})`);
}

/** An OCI image layout holding the blob as one uncompressed tar layer, so skopeo pushes it as is. */
async function makeOciLayout(layout: string, blob: string, digest: string, size: number): Promise<void> {
  const blobs = path.join(layout, 'blobs', 'sha256');
  await fsp.mkdir(blobs, { recursive: true });
  await fsp.link(blob, path.join(blobs, digest.slice('sha256:'.length)));
  const put = async (json: object) => {
    const bytes = Buffer.from(JSON.stringify(json));
    const hex = createHash('sha256').update(bytes).digest('hex');
    await fsp.writeFile(path.join(blobs, hex), bytes);
    return { digest: `sha256:${hex}`, size: bytes.length };
  };
  const config = await put({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digest] } });
  const manifest = await put({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest, size }],
  });
  await fsp.writeFile(path.join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await fsp.writeFile(
    path.join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'bench' } }],
    }),
  );
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
  const seconds = await timed(async () => (rssMB = await ferry(f.importHome, path.join(f.dir, 'rss.json'), ['verify', f.bundle, '--trust', f.signerPub])));
  return { seconds, rssMB };
}

async function timeImport(f: Fixture, registry: TestRegistry, o: Options): Promise<{ seconds: number; rssMB: number }> {
  const argv = ['import', f.bundle, '--trust', f.signerPub, '--to-registry', `${registry.host}/${REPO}`, '--plain-http'];
  if (o.chunkSize) argv.push('--chunk-size', o.chunkSize);
  if (o.concurrency) argv.push('--concurrency', o.concurrency);
  await readThroughDir(f.bundle);
  let rssMB = 0;
  const seconds = await timed(async () => (rssMB = await ferry(f.importHome, path.join(f.dir, 'rss.json'), argv)));
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
  const seconds = await timed(() => curlUpload(registry, f));
  await assertStored(registry, f.digest, f.bytes, 'curl');
  return seconds;
}

async function timeSkopeo(f: Fixture, registry: TestRegistry): Promise<number> {
  await readThrough(f.blob);
  // --preserve-digests: otherwise skopeo gzips the uncompressed layer on the way (a different blob).
  // --insecure-policy: do not depend on the machine's /etc/containers/policy.json.
  const args = ['copy', '--quiet', '--insecure-policy', '--preserve-digests', '--dest-tls-verify=false', `oci:${f.layout}:bench`, `docker://${registry.host}/${REPO}/skopeo:bench`];
  const tmp = path.join(f.dir, 'tmp');
  await fsp.mkdir(tmp, { recursive: true });
  const seconds = await timed(() => run('skopeo', args, { ...process.env, TMPDIR: tmp }));
  await fsp.rm(tmp, { recursive: true, force: true });
  await assertStored(registry, f.digest, f.bytes, 'skopeo');
  return seconds;
}

const round = (n: number) => Number(n.toFixed(3));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
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
  const ratios = { ferryOverCurl: ratio(seconds.import, seconds.curl), ferryPushOverCurl: ratio(push, seconds.curl), skopeoOverFerry: ratio(seconds.skopeo, seconds.import) };

  const secs = (s: number | null) => (s === null ? 'skipped' : s.toFixed(2));
  const mbps = (s: number | null) => (s === null ? '' : (bytes / s / 1e6).toFixed(1));
  const times = (x: number | null) => (x === null ? '-' : `${x.toFixed(2)}x`);
  const of = o.runs > 1 ? `median of ${o.runs} runs; RSS is the max` : '1 run';
  const flags = [o.chunkSize ? `--chunk-size ${o.chunkSize}` : '', o.concurrency ? `--concurrency ${o.concurrency}` : ''].filter(Boolean).join(' ');
  console.log(`\n== ${o.gib} GiB model (${bytes} bytes), ${of}${flags ? `, ferry ${flags}` : ''} ==`);
  const steps = [
    ['step', 'seconds', 'MB/s', 'peak RSS'],
    ['ferry import --to-registry (verify + push)', secs(seconds.import), mbps(seconds.import), `${r.rssMB.import.toFixed(1)} MB`],
    ['ferry verify alone', secs(seconds.verify), mbps(seconds.verify), `${r.rssMB.verify.toFixed(1)} MB`],
    ['  push part (import - verify)', secs(push), mbps(push), ''],
    ['curl POST + monolithic PUT', secs(seconds.curl), mbps(seconds.curl), ''],
    ['skopeo copy oci: -> docker://', secs(seconds.skopeo), mbps(seconds.skopeo), ''],
  ];
  for (const line of table(steps)) console.log(`  ${line}`);
  console.log('');
  const ratioRows = [
    ['ratio', 'value'],
    ['ferry import / curl', times(ratios.ferryOverCurl)],
    ['ferry push part / curl', times(ratios.ferryPushOverCurl)],
    ['skopeo / ferry import', times(ratios.skopeoOverFerry)],
  ];
  for (const line of table(ratioRows)) console.log(`  ${line}`);

  const nullable = (n: number | null) => (n === null ? null : round(n));
  return {
    gib: o.gib,
    bytes,
    runs: o.runs,
    ferryOptions: { chunkSize: o.chunkSize ?? null, concurrency: o.concurrency ?? null },
    seconds: { ferryImport: round(seconds.import), ferryVerify: round(seconds.verify), ferryPush: round(push), curl: nullable(seconds.curl), skopeo: nullable(seconds.skopeo) },
    ...(o.runs > 1 ? { eachRun: { ferryImport: r.all.import.map(round), ferryVerify: r.all.verify.map(round), curl: r.all.curl.map(round), skopeo: r.all.skopeo.map(round) } } : {}),
    ratios: { ferryOverCurl: nullable(ratios.ferryOverCurl), ferryPushOverCurl: nullable(ratios.ferryPushOverCurl), skopeoOverFerry: nullable(ratios.skopeoOverFerry) },
    ferryPeakRssMB: { import: Number(r.rssMB.import.toFixed(1)), verify: Number(r.rssMB.verify.toFixed(1)) },
  };
}

async function firstLine(cmd: string, args: string[]): Promise<string | null> {
  return run(cmd, args).then(
    (out) => out.trim().split('\n')[0] ?? null,
    () => null,
  );
}

async function machine(work: string) {
  const cpuinfo = await fsp.readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const df = (await run('df', ['-T', work]).catch(() => '')).trim().split('\n')[1]?.split(/\s+/) ?? [];
  return {
    cpu,
    cores: os.cpus().length,
    ramGiB: Number((os.totalmem() / GiB).toFixed(1)),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    fs: df.length > 1 ? `${df[1]} on ${df[0]}` : 'unknown',
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
  const runs = Number(values.runs);
  if (!Number.isFinite(gib) || gib <= 0 || gib > 1024) throw new RangeError(`--gib "${values.gib}": give a size in GiB, e.g. 1 or 0.5`);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`--runs "${values.runs}": give a whole number >= 1`);
  const chunkSize = values['chunk-size'];
  if (chunkSize !== undefined) parseVolumeSize(chunkSize, '--chunk-size'); // throws with Ferry's own message
  const concurrency = values.concurrency;
  if (concurrency !== undefined && !/^([1-9]|[1-5]\d|6[0-4])$/.test(concurrency)) throw new RangeError(`--concurrency "${concurrency}": give a whole number from 1 to 64`);
  return { gib, runs, dir: path.resolve(values.dir ?? os.tmpdir()), ...(chunkSize ? { chunkSize } : {}), ...(concurrency ? { concurrency } : {}) };
}

/** Free space for SPACE_FACTOR times the model, or a message saying how much is missing. */
async function checkSpace(dir: string, gib: number): Promise<string | null> {
  const stats = await fsp.statfs(dir);
  const free = stats.bavail * stats.bsize;
  const needed = SPACE_FACTOR * gib * GiB;
  console.log(`  space    ${(needed / GiB).toFixed(1)} GiB needed (${SPACE_FACTOR} x the model: store, bundle, one registry), ${(free / GiB).toFixed(1)} GiB free in ${dir}`);
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
  const createdDir = await fsp.mkdir(options.dir, { recursive: true });
  const removeCreatedDir = () => createdDir && fs.rmSync(createdDir, { recursive: true, force: true });
  const noSpace = await checkSpace(options.dir, options.gib);
  if (noSpace) {
    console.error(`bench:push: ${noSpace}`);
    removeCreatedDir();
    return 1;
  }

  const work = await fsp.mkdtemp(path.join(options.dir, 'ferry-bench-push-'));
  const cleanup = () => {
    fs.rmSync(work, { recursive: true, force: true });
    removeCreatedDir();
  };
  const onSignal = async () => {
    current?.kill('SIGTERM');
    await Promise.all([...registries].map((r) => r.stop()));
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const info = await machine(work);
    const tools = { curl: info.curl !== null, skopeo: info.skopeo !== null };
    console.log(`  machine  ${info.cpu}, ${info.cores} cores, ${info.ramGiB} GiB RAM, ${info.kernel}, node ${info.node}`);
    console.log(`  folder   ${work} (${info.fs})`);
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
    console.error(`\nbench:push: a step failed: ${err instanceof StepError ? err.message : ((err as Error).stack ?? String(err))}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await Promise.all([...registries].map((r) => r.stop()));
    cleanup();
  }
}

process.exitCode = await main();

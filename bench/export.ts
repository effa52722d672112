/**
 * Export benchmark: in one run, exports an N GiB Ollama model with the real CLI and compares it with
 * `cp + sync` of the same blob and with `skopeo copy` of the same bytes into an oci-archive.
 * Prints times, ratios, Ferry's peak RSS and PASS/MISS against the targets, then a JSON summary.
 *
 *   npm run bench:export -- [--sizes 1,8] [--dir DIR] [--runs N]
 *
 * Exit 0 whether or not targets are met (it is a report); 1 when a step fails; 2 on bad arguments.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { table } from '../main/cli/output.js';
import { makeOllamaStore } from '../main/testing/ollama-fixture.js';

const GiB = 1024 ** 3;
const TARGETS = { ferryOverCp: 1.15, skopeoOverFerry: 2.0, rssMB: 200 };
/** Peak use of one size: the store, skopeo's temp copy and its archive (the layout is a hard link). */
const SPACE_FACTOR = 3.2;
const CHILD = fileURLToPath(new URL('./export-child.js', import.meta.url));

interface SizeResult {
  gib: number;
  runs: number;
  seconds: { ferry: number; cp: number; skopeo: number | null };
  all: { ferry: number[]; cp: number[]; skopeo: number[] };
  ferryPeakRssMB: number;
}

class StepError extends Error {}

let current: ChildProcess | undefined;

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

/** Wall-clock seconds of `step` plus a final sync; a sync before the clock starts keeps earlier writeback out. */
async function timed(step: () => Promise<unknown>): Promise<number> {
  await run('sync', []);
  const start = performance.now();
  await step();
  await run('sync', []);
  return (performance.now() - start) / 1000;
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

async function commandExists(cmd: string): Promise<boolean> {
  return run('which', [cmd]).then(
    () => true,
    () => false,
  );
}

/** An OCI image layout holding the blob as one uncompressed tar layer, so skopeo copies it as is. */
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

const round = (n: number) => Number(n.toFixed(3));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function benchSize(work: string, gib: number, runs: number, withSkopeo: boolean): Promise<SizeResult> {
  const dir = path.join(work, `${gib}g`);
  const store = path.join(dir, 'store');
  const home = path.join(dir, 'ferry-home');
  const tmp = path.join(dir, 'tmp');
  const bundle = path.join(dir, 'bundle');
  const copy = path.join(dir, 'copy');
  const archive = path.join(dir, 'skopeo.tar');
  const layout = path.join(dir, 'oci');
  const rssFile = path.join(dir, 'rss.json');
  const name = `bench:${gib}g`;
  const bytes = gib * GiB;

  const started = performance.now();
  const { models } = await makeOllamaStore(store, [{ name, modelBytes: bytes }]);
  const digest = models[0]!.blobs[1]!; // the config comes first, then the model layer
  const blob = path.join(store, 'blobs', digest.replace('sha256:', 'sha256-'));
  if (withSkopeo) await makeOciLayout(layout, blob, digest, bytes);
  await fsp.mkdir(tmp, { recursive: true });
  console.log(`  fixture store built in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const all = { ferry: [] as number[], cp: [] as number[], skopeo: [] as number[] };
  const rssKiB: number[] = [];
  for (let i = 0; i < runs; i++) {
    await readThrough(blob);
    const args = ['export', '--out', bundle, '--ollama-store', store, '--ollama', name, '--volume-size', 'usb'];
    all.ferry.push(await timed(() => run(process.execPath, [CHILD, '--rss-file', rssFile, ...args], { ...process.env, FERRY_HOME: home })));
    rssKiB.push((JSON.parse(await fsp.readFile(rssFile, 'utf8')) as { maxRssKiB: number }).maxRssKiB);
    await fsp.rm(bundle, { recursive: true, force: true });

    await readThrough(blob);
    // --reflink=never: on btrfs/xfs a reflink would copy no data at all.
    all.cp.push(await timed(() => run('cp', ['--reflink=never', blob, copy])));
    await fsp.rm(copy, { force: true });

    if (withSkopeo) {
      await readThrough(blob);
      // oci-archive: stages the image in TMPDIR before tarring it; keep that inside the work folder.
      // --insecure-policy: a local copy between two of our own files needs no trust policy.
      const skopeoArgs = ['copy', '--quiet', '--insecure-policy', `oci:${layout}:bench`, `oci-archive:${archive}:bench`];
      all.skopeo.push(await timed(() => run('skopeo', skopeoArgs, { ...process.env, TMPDIR: tmp })));
      await fsp.rm(archive, { force: true });
      await fsp.rm(tmp, { recursive: true, force: true });
      await fsp.mkdir(tmp);
    }
    console.log(`  run ${i + 1}/${runs}: ferry ${all.ferry[i]!.toFixed(2)} s, cp+sync ${all.cp[i]!.toFixed(2)} s${withSkopeo ? `, skopeo ${all.skopeo[i]!.toFixed(2)} s` : ''}`);
  }
  await fsp.rm(dir, { recursive: true, force: true });
  return {
    gib,
    runs,
    seconds: { ferry: median(all.ferry), cp: median(all.cp), skopeo: withSkopeo ? median(all.skopeo) : null },
    all,
    ferryPeakRssMB: (Math.max(...rssKiB) * 1024) / 1e6,
  };
}

function report(r: SizeResult): { ferryOverCp: number; skopeoOverFerry: number | null; pass: Record<string, boolean | null> } {
  const bytes = r.gib * GiB;
  const mbps = (s: number) => (bytes / s / 1e6).toFixed(1);
  const ferryOverCp = r.seconds.ferry / r.seconds.cp;
  const skopeoOverFerry = r.seconds.skopeo === null ? null : r.seconds.skopeo / r.seconds.ferry;
  const pass = {
    ferryOverCp: ferryOverCp <= TARGETS.ferryOverCp,
    skopeoOverFerry: skopeoOverFerry === null ? null : skopeoOverFerry >= TARGETS.skopeoOverFerry,
    rss: r.ferryPeakRssMB <= TARGETS.rssMB,
  };
  const verdict = (p: boolean | null) => (p === null ? 'SKIP' : p ? 'PASS' : 'MISS');
  const of = r.runs > 1 ? `median of ${r.runs} runs; RSS is the max` : '1 run';
  console.log(`\n== ${r.gib} GiB model (${bytes} bytes), ${of} ==`);
  const steps = [
    ['step', 'seconds', 'MB/s', 'peak RSS'],
    ['ferry export + sync', r.seconds.ferry.toFixed(2), mbps(r.seconds.ferry), `${r.ferryPeakRssMB.toFixed(1)} MB`],
    ['cp + sync', r.seconds.cp.toFixed(2), mbps(r.seconds.cp), ''],
    ['skopeo oci-archive + sync', r.seconds.skopeo === null ? 'skipped' : r.seconds.skopeo.toFixed(2), r.seconds.skopeo === null ? '' : mbps(r.seconds.skopeo), ''],
  ];
  for (const line of table(steps)) console.log(`  ${line}`);
  const checks = [
    ['check', 'value', 'target', 'result'],
    ['ferry / (cp+sync)', `${ferryOverCp.toFixed(2)}x`, `<= ${TARGETS.ferryOverCp.toFixed(2)}x`, verdict(pass.ferryOverCp)],
    ['skopeo / ferry', skopeoOverFerry === null ? '-' : `${skopeoOverFerry.toFixed(2)}x`, `>= ${TARGETS.skopeoOverFerry.toFixed(2)}x`, verdict(pass.skopeoOverFerry)],
    ['ferry peak RSS', `${r.ferryPeakRssMB.toFixed(1)} MB`, `<= ${TARGETS.rssMB} MB`, verdict(pass.rss)],
  ];
  console.log('');
  for (const line of table(checks)) console.log(`  ${line}`);
  return { ferryOverCp, skopeoOverFerry, pass };
}

async function machine(work: string): Promise<Record<string, string | number>> {
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
  };
}

function parseOptions(): { sizes: number[]; dir: string; runs: number } {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1' }, dir: { type: 'string' }, runs: { type: 'string', default: '1' } } });
  const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
  const runs = Number(values.runs);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new RangeError(`--sizes "${values.sizes}": give whole GiB, comma-separated, e.g. 1,8`);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`--runs "${values.runs}": give a whole number >= 1`);
  return { sizes, dir: path.resolve(values.dir ?? os.tmpdir()), runs };
}

async function benchmark(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions();
  } catch (err) {
    console.error(`bench:export: ${(err as Error).message}\nusage: npm run bench:export -- [--sizes 1,8] [--dir DIR] [--runs N]`);
    return 2;
  }
  const { sizes, runs } = options;
  // The first folder mkdir had to create, if any: removed at the end like the rest.
  const createdDir = await fsp.mkdir(options.dir, { recursive: true });
  const removeCreatedDir = () => createdDir && fs.rmSync(createdDir, { recursive: true, force: true });
  const stats = await fsp.statfs(options.dir);
  const free = stats.bavail * stats.bsize;
  const needed = SPACE_FACTOR * Math.max(...sizes) * GiB;
  if (free < needed) {
    console.error(
      `bench:export: ${options.dir} has ${(free / GiB).toFixed(1)} GiB free; --sizes ${sizes.join(',')} needs ${(needed / GiB).toFixed(1)} GiB ` +
        `(${SPACE_FACTOR} x the largest size). Use --dir on a bigger disk or smaller --sizes.`,
    );
    removeCreatedDir();
    return 1;
  }

  const work = await fsp.mkdtemp(path.join(options.dir, 'ferry-bench-'));
  const cleanup = () => {
    fs.rmSync(work, { recursive: true, force: true });
    removeCreatedDir();
  };
  const onSignal = () => {
    current?.kill('SIGTERM');
    cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const info = await machine(work);
    const withSkopeo = await commandExists('skopeo');
    const skopeoVersion = withSkopeo ? (await run('skopeo', ['--version'])).trim() : null;
    console.log('Ferry export benchmark');
    console.log(`  machine  ${info.cpu}, ${info.cores} cores, ${info.ramGiB} GiB RAM, ${info.kernel}, node ${info.node}`);
    console.log(`  folder   ${work} (${info.fs})`);
    console.log(`  skopeo   ${skopeoVersion ?? 'not installed: skopeo baseline skipped (apt-get install skopeo to include it)'}`);
    console.log('  The source blob is page-cache warm for all three steps (read through just before each; dropping');
    console.log('  caches needs root), so they compare write paths. Every step ends with `sync`, and a `sync` runs before');
    console.log('  each one starts. Ferry runs the real CLI in a child process: node startup, hashing, ledger and signing included.');

    const results = [];
    for (const gib of sizes) {
      console.log(`\n${gib} GiB: building the fixture, then ${runs} run(s) of ferry, cp+sync${withSkopeo ? ', skopeo' : ''}`);
      const r = await benchSize(work, gib, runs, withSkopeo);
      const checked = report(r);
      results.push({
        gib,
        runs,
        seconds: { ferry: round(r.seconds.ferry), cp: round(r.seconds.cp), skopeo: r.seconds.skopeo === null ? null : round(r.seconds.skopeo) },
        ...(runs > 1 ? { eachRun: { ferry: r.all.ferry.map(round), cp: r.all.cp.map(round), skopeo: r.all.skopeo.map(round) } } : {}),
        ratios: { ferryOverCp: round(checked.ferryOverCp), skopeoOverFerry: checked.skopeoOverFerry === null ? null : round(checked.skopeoOverFerry) },
        ferryPeakRssMB: Number(r.ferryPeakRssMB.toFixed(1)),
        pass: checked.pass,
      });
    }
    console.log('\nsummary (JSON):');
    console.log(JSON.stringify({ bench: 'ferry-export', targets: TARGETS, machine: { ...info, skopeo: skopeoVersion }, results }));
    return 0;
  } catch (err) {
    console.error(`\nbench:export: a step failed: ${err instanceof StepError ? err.message : ((err as Error).stack ?? String(err))}`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    cleanup();
  }
}

process.exitCode = await benchmark();

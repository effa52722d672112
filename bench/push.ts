/**
 * Registry push benchmark: in one run, imports an N GiB Ollama model bundle into a registry with the
 * real CLI (`ferry import --to-registry`, verification included) and compares it with a monolithic
 * curl upload of the same blob and with `skopeo copy` of the same bytes. Every push goes to a fresh
 * docker-registry on loopback. Prints times, MB/s, ratios and Ferry's peak RSS, then a JSON summary.
 *
 *   npm run bench:push -- [--gib 1] [--runs 1] [--dir DIR] [--chunk-size SIZE] [--concurrency N]
 *
 * Targets (#14): the import, one read of the bundle with every byte checked, within 1.15x of curl's bare
 * upload of the blob; skopeo, which checks nothing first, at least 1.2x Ferry's time.
 * `ferry verify` (a full read of the media, nothing pushed) is timed for reference.
 *
 * Exit 0 whether or not targets are met (it is a report); 1 when a step fails; 2 on bad arguments.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseVolumeSize } from '../main/bundle/volume-size.js';
import { buildFixture, registries, timeCurl, timeImport, timeSkopeo, timeVerify, withRegistry, type ImportFlags } from './push-steps.js';
import {
  commandExists,
  createDir,
  describeMachine,
  exitOnSignal,
  failureMessage,
  freeBytes,
  GiB,
  makeWorkDir,
  median,
  parseRuns,
  printMachine,
  printTable,
  round,
  run,
  runsLabel,
} from './support.js';

/** Peak use: the store, the bundle, and one registry's copy at a time (the skopeo layout is a hard link). */
const SPACE_FACTOR = 3.2;
const TARGETS = { ferryOverCurl: 1.15, skopeoOverFerry: 1.2 };
const USAGE = 'usage: npm run bench:push -- [--gib 1] [--runs 1] [--dir DIR] [--chunk-size SIZE] [--concurrency N]';

interface Options extends ImportFlags {
  gib: number;
  runs: number;
  dir: string;
}

type Step = 'verify' | 'import' | 'curl' | 'skopeo';

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
  const ratio = (a: number | null, b: number | null) => (a === null || b === null ? null : a / b);
  const ratios = {
    ferryOverCurl: ratio(seconds.import, seconds.curl),
    skopeoOverFerry: ratio(seconds.skopeo, seconds.import),
  };
  const pass = {
    ferryOverCurl: ratios.ferryOverCurl === null ? null : ratios.ferryOverCurl <= TARGETS.ferryOverCurl,
    skopeoOverFerry: ratios.skopeoOverFerry === null ? null : ratios.skopeoOverFerry >= TARGETS.skopeoOverFerry,
  };
  const verdict = (p: boolean | null) => (p === null ? 'SKIP' : p ? 'PASS' : 'MISS');

  const secs = (s: number | null) => (s === null ? 'skipped' : s.toFixed(2));
  const mbps = (s: number | null) => (s === null ? '' : (bytes / s / 1e6).toFixed(1));
  const times = (x: number | null) => (x === null ? '-' : `${x.toFixed(2)}x`);
  const flags = [o.chunkSize ? `--chunk-size ${o.chunkSize}` : '', o.concurrency ? `--concurrency ${o.concurrency}` : ''].filter(Boolean).join(' ');
  console.log(`\n== ${o.gib} GiB model (${bytes} bytes), ${runsLabel(o.runs)}${flags ? `, ferry ${flags}` : ''} ==`);
  const steps = [
    ['step', 'seconds', 'MB/s', 'peak RSS'],
    ['ferry import --to-registry (one read, checked)', secs(seconds.import), mbps(seconds.import), `${r.rssMB.import.toFixed(1)} MB`],
    ['ferry verify (full read, for reference)', secs(seconds.verify), mbps(seconds.verify), `${r.rssMB.verify.toFixed(1)} MB`],
    ['curl POST + monolithic PUT', secs(seconds.curl), mbps(seconds.curl), ''],
    ['skopeo copy oci: -> docker://', secs(seconds.skopeo), mbps(seconds.skopeo), ''],
  ];
  printTable(steps);
  console.log('');
  const ratioRows = [
    ['check', 'value', 'target', 'result'],
    ['ferry import / curl', times(ratios.ferryOverCurl), `<= ${TARGETS.ferryOverCurl}x`, verdict(pass.ferryOverCurl)],
    ['skopeo / ferry import', times(ratios.skopeoOverFerry), `>= ${TARGETS.skopeoOverFerry}x`, verdict(pass.skopeoOverFerry)],
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
      skopeoOverFerry: nullable(ratios.skopeoOverFerry),
    },
    targets: TARGETS,
    pass,
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

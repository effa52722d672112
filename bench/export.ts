/**
 * Export benchmark: in one run, exports an N GiB Ollama model with the real CLI and compares it with
 * `cp + sync` of the same blob and with `skopeo copy` of the same bytes into an oci-archive.
 * Prints times, ratios, Ferry's CPU seconds per GiB and peak RSS (which must not grow with the size),
 * and PASS/MISS against the targets, then a JSON summary.
 *
 *   npm run bench:export -- [--sizes 1,8] [--dir DIR] [--runs N]
 *
 * Exit 0 whether or not targets are met (it is a report); 1 when a step fails; 2 on bad arguments.
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeOllamaStore } from '../main/testing/ollama-fixture.js';
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
  readCpuSeconds,
  readPeakRssMB,
  readThrough,
  round,
  run,
  runFerry,
  runsLabel,
  timed,
} from './support.js';

const TARGETS = { ferryOverCp: 1.3, skopeoOverFerry: 2.0, cpuSecondsPerGiB: 3.5, rssMB: 200 };
/** Peak RSS "equal" across sizes: the largest within this factor of the smallest. */
const RSS_SPREAD = 1.1;
/** Peak use of one size: the store, skopeo's temp copy and its archive (the layout is a hard link). */
const SPACE_FACTOR = 3.2;

interface SizeResult {
  gib: number;
  runs: number;
  seconds: { ferry: number; cp: number; skopeo: number | null };
  all: { ferry: number[]; cp: number[]; skopeo: number[] };
  ferryPeakRssMB: number;
  ferryCpuSeconds: number;
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
  const rssMB: number[] = [];
  const cpuSeconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    await readThrough(blob);
    const args = ['export', '--out', bundle, '--ollama-store', store, '--ollama', name, '--volume-size', 'usb'];
    all.ferry.push(await timed(() => runFerry(home, rssFile, args), 'until-synced'));
    rssMB.push(await readPeakRssMB(rssFile));
    cpuSeconds.push(await readCpuSeconds(rssFile));
    await fsp.rm(bundle, { recursive: true, force: true });

    await readThrough(blob);
    // --reflink=never: on btrfs/xfs a reflink would copy no data at all.
    all.cp.push(await timed(() => run('cp', ['--reflink=never', blob, copy]), 'until-synced'));
    await fsp.rm(copy, { force: true });

    if (withSkopeo) {
      await readThrough(blob);
      // oci-archive: stages the image in TMPDIR before tarring it; keep that inside the work folder.
      // --insecure-policy: a local copy between two of our own files needs no trust policy.
      const skopeoArgs = ['copy', '--quiet', '--insecure-policy', `oci:${layout}:bench`, `oci-archive:${archive}:bench`];
      all.skopeo.push(await timed(() => run('skopeo', skopeoArgs, { ...process.env, TMPDIR: tmp }), 'until-synced'));
      await fsp.rm(archive, { force: true });
      await fsp.rm(tmp, { recursive: true, force: true });
      await fsp.mkdir(tmp);
    }
    console.log(
      `  run ${i + 1}/${runs}: ferry ${all.ferry[i]!.toFixed(2)} s, cp+sync ${all.cp[i]!.toFixed(2)} s${withSkopeo ? `, skopeo ${all.skopeo[i]!.toFixed(2)} s` : ''}`,
    );
  }
  await fsp.rm(dir, { recursive: true, force: true });
  return {
    gib,
    runs,
    seconds: { ferry: median(all.ferry), cp: median(all.cp), skopeo: withSkopeo ? median(all.skopeo) : null },
    all,
    ferryPeakRssMB: Math.max(...rssMB),
    ferryCpuSeconds: median(cpuSeconds),
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
    cpu: r.ferryCpuSeconds / r.gib <= TARGETS.cpuSecondsPerGiB,
    rss: r.ferryPeakRssMB <= TARGETS.rssMB,
  };
  const verdict = (p: boolean | null) => (p === null ? 'SKIP' : p ? 'PASS' : 'MISS');
  console.log(`\n== ${r.gib} GiB model (${bytes} bytes), ${runsLabel(r.runs)} ==`);
  const steps = [
    ['step', 'seconds', 'MB/s', 'peak RSS'],
    ['ferry export + sync', r.seconds.ferry.toFixed(2), mbps(r.seconds.ferry), `${r.ferryPeakRssMB.toFixed(1)} MB`],
    ['cp + sync', r.seconds.cp.toFixed(2), mbps(r.seconds.cp), ''],
    [
      'skopeo oci-archive + sync',
      r.seconds.skopeo === null ? 'skipped' : r.seconds.skopeo.toFixed(2),
      r.seconds.skopeo === null ? '' : mbps(r.seconds.skopeo),
      '',
    ],
  ];
  printTable(steps);
  const checks = [
    ['check', 'value', 'target', 'result'],
    ['ferry / (cp+sync)', `${ferryOverCp.toFixed(2)}x`, `<= ${TARGETS.ferryOverCp.toFixed(2)}x`, verdict(pass.ferryOverCp)],
    [
      'skopeo / ferry',
      skopeoOverFerry === null ? '-' : `${skopeoOverFerry.toFixed(2)}x`,
      `>= ${TARGETS.skopeoOverFerry.toFixed(2)}x`,
      verdict(pass.skopeoOverFerry),
    ],
    ['ferry CPU (user+sys) / GiB', `${(r.ferryCpuSeconds / r.gib).toFixed(2)} s`, `<= ${TARGETS.cpuSecondsPerGiB} s`, verdict(pass.cpu)],
    ['ferry peak RSS', `${r.ferryPeakRssMB.toFixed(1)} MB`, `<= ${TARGETS.rssMB} MB`, verdict(pass.rss)],
  ];
  console.log('');
  printTable(checks);
  return { ferryOverCp, skopeoOverFerry, pass };
}

/** With more than one size: is the peak RSS the same for all of them (memory flat with the model's size)? */
function reportRssSpread(results: readonly { gib: number; ferryPeakRssMB: number }[]): boolean | null {
  if (results.length < 2) return null;
  const rss = results.map((r) => r.ferryPeakRssMB);
  const spread = Math.max(...rss) / Math.min(...rss);
  const flat = spread <= RSS_SPREAD;
  console.log(`\npeak RSS across ${results.map((r) => `${r.gib} GiB`).join(', ')}: ${rss.map((m) => `${m} MB`).join(', ')}`);
  console.log(`  largest / smallest ${spread.toFixed(2)}x, target <= ${RSS_SPREAD}x: ${flat ? 'PASS' : 'MISS'}`);
  return flat;
}

function parseOptions(): { sizes: number[]; dir: string; runs: number } {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1' }, dir: { type: 'string' }, runs: { type: 'string', default: '1' } } });
  const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new RangeError(`--sizes "${values.sizes}": give whole GiB, comma-separated, e.g. 1,8`);
  const runs = parseRuns(values.runs);
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
  const removeCreatedDir = await createDir(options.dir);
  const free = await freeBytes(options.dir);
  const needed = SPACE_FACTOR * Math.max(...sizes) * GiB;
  if (free < needed) {
    console.error(
      `bench:export: ${options.dir} has ${(free / GiB).toFixed(1)} GiB free; --sizes ${sizes.join(',')} needs ${(needed / GiB).toFixed(1)} GiB ` +
        `(${SPACE_FACTOR} x the largest size). Use --dir on a bigger disk or smaller --sizes.`,
    );
    removeCreatedDir();
    return 1;
  }

  const { work, cleanup } = await makeWorkDir(options.dir, 'ferry-bench-', removeCreatedDir);
  const removeSignalHandlers = exitOnSignal(cleanup);
  try {
    const info = await describeMachine(work);
    const withSkopeo = await commandExists('skopeo');
    const skopeoVersion = withSkopeo ? (await run('skopeo', ['--version'])).trim() : null;
    console.log('Ferry export benchmark');
    printMachine(info, work);
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
        ferryCpuSecondsPerGiB: round(r.ferryCpuSeconds / r.gib),
        pass: checked.pass,
      });
    }
    const rssFlat = reportRssSpread(results);
    console.log('\nsummary (JSON):');
    console.log(
      JSON.stringify({ bench: 'ferry-export', targets: { ...TARGETS, rssSpread: RSS_SPREAD }, machine: { ...info, skopeo: skopeoVersion }, results, rssFlat }),
    );
    return 0;
  } catch (err) {
    console.error(`\nbench:export: a step failed: ${failureMessage(err)}`);
    return 1;
  } finally {
    removeSignalHandlers();
    cleanup();
  }
}

process.exitCode = await benchmark();

/**
 * Import benchmark: in one run, exports an N GiB Ollama model into a bundle of several volumes,
 * then imports it into an empty store with a fresh FERRY_HOME, against `cat` of the same volumes
 * into one file and `sync`. Prints every byte the ferry process read (rchar from /proc, all its
 * threads: the import runs in a job's worker thread) over the bundle's size, the time ratio, the
 * peak RSS and PASS/MISS against the targets.
 *
 *   npm run bench:import -- [--gib 1] [--dir DIR] [--runs N]
 *
 * Exit 0 whether or not targets are met (it is a report); 1 when a step fails; 2 on bad arguments.
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeOllamaStore } from '../main/testing/ollama-fixture.js';
import {
  createDir,
  describeMachine,
  exitOnSignal,
  failureMessage,
  GiB,
  makeWorkDir,
  median,
  parseRuns,
  printMachine,
  printTable,
  readBytesRead,
  readPeakRssMB,
  readThrough,
  run,
  runFerry,
  timed,
} from './support.js';

const TARGETS = { readOverBundle: 1.05, ferryOverCat: 1.2, rssMB: 200 };

async function bench(work: string, gib: number, runs: number) {
  const store = path.join(work, 'store-a');
  const bundle = path.join(work, 'usb', 'bench-import');
  const rssFile = path.join(work, 'rss.json');
  const name = `bench:${gib}g`;
  await makeOllamaStore(store, [{ name, modelBytes: Math.round(gib * GiB) }]);
  await runFerry(path.join(work, 'home-a'), rssFile, ['export', '--out', bundle, '--ollama-store', store, '--ollama', name, '--volume-size', '256MiB']);
  await fsp.rm(store, { recursive: true, force: true });
  const volumes = (await fsp.readdir(bundle)).filter((f) => f.includes('.tar.')).map((f) => path.join(bundle, f));
  let bundleBytes = 0;
  for (const v of volumes) bundleBytes += (await fsp.stat(v)).size;

  const seconds = { ferry: [] as number[], cat: [] as number[] };
  let read = 0;
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    for (const v of volumes) await readThrough(v);
    const joined = path.join(work, 'joined.tar');
    seconds.cat.push(await timed(() => run('sh', ['-c', `cat "$@" > "${joined}"`, 'cat', ...volumes]), 'until-synced'));
    await fsp.rm(joined, { force: true });

    for (const v of volumes) await readThrough(v);
    const into = path.join(work, `store-b-${i}`);
    const args = ['import', bundle, '--trust', path.join(work, 'home-a', 'keys', 'site.pub.pem'), '--to-ollama-store', into];
    seconds.ferry.push(await timed(() => runFerry(path.join(work, `home-b-${i}`), rssFile, args), 'until-synced'));
    read = await readBytesRead(rssFile);
    rss = Math.max(rss, await readPeakRssMB(rssFile));
    await fsp.rm(into, { recursive: true, force: true });
    console.log(`  run ${i + 1}/${runs}: ferry import ${seconds.ferry[i]!.toFixed(2)} s, cat+sync ${seconds.cat[i]!.toFixed(2)} s`);
  }
  return { bundleBytes, volumes: volumes.length, seconds: { ferry: median(seconds.ferry), cat: median(seconds.cat) }, read, rss };
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { gib: { type: 'string', default: '1' }, dir: { type: 'string' }, runs: { type: 'string', default: '1' } } }));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const gib = Number(values.gib);
  let runs: number;
  try {
    runs = parseRuns(values.runs);
    if (!(gib > 0)) throw new RangeError(`--gib "${values.gib}": give a positive number of GiB`);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const parent = values.dir ? path.resolve(values.dir) : os.tmpdir();
  const removeParent = await createDir(parent);
  const { work, cleanup } = await makeWorkDir(parent, 'ferry-bench-import-', removeParent);
  const stopOnSignal = exitOnSignal(cleanup);
  try {
    console.log(`Import benchmark: ${gib} GiB Ollama model, ${runs} run(s)`);
    printMachine(await describeMachine(work), work);
    const r = await bench(work, gib, runs);
    // rchar counts every byte the process read, its code and the bundle's small files too: an upper bound on the volumes' share.
    const readRatio = r.read / r.bundleBytes;
    const timeRatio = r.seconds.ferry / r.seconds.cat;
    printTable([
      ['what', 'measured', 'target', ''],
      [
        'bytes read (rchar, all of it) / bundle',
        `${readRatio.toFixed(3)}× (${r.volumes} volumes)`,
        `≤ ${TARGETS.readOverBundle}×`,
        readRatio <= TARGETS.readOverBundle ? 'PASS' : 'MISS',
      ],
      [
        'ferry import / cat volumes > file && sync',
        `${timeRatio.toFixed(2)}× (${r.seconds.ferry.toFixed(2)} s / ${r.seconds.cat.toFixed(2)} s)`,
        `≤ ${TARGETS.ferryOverCat}×`,
        timeRatio <= TARGETS.ferryOverCat ? 'PASS' : 'MISS',
      ],
      ['peak RSS', `${Math.round(r.rss)} MB`, `≤ ${TARGETS.rssMB} MB`, r.rss <= TARGETS.rssMB ? 'PASS' : 'MISS'],
    ]);
    console.log(JSON.stringify({ gib, runs, ...r, readRatio, timeRatio }));
    return 0;
  } catch (err) {
    console.error(failureMessage(err));
    return 1;
  } finally {
    stopOnSignal();
    cleanup();
  }
}

process.exitCode = await main();

/**
 * Ledger benchmark: grows a site's ledger to years of use with the project's generator (20,000
 * transfers: 140,001 chained lines by default), then times what an auditor and an operator run
 * against it with the real CLI, each in a child process (Node's start included), and the auditor's
 * `sh VERIFY.sh` on the kit. Prints wall time and peak RSS against the targets of #15, then JSON.
 *
 *   npm run bench:ledger -- [--transfers 20000] [--dir DIR]
 *
 * Exit 0 whether or not targets are met (it is a report); 1 when a step fails; 2 on bad arguments.
 */
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateLedger } from '../main/testing/ledger-generator.js';
import {
  createDir,
  describeMachine,
  exitOnSignal,
  failureMessage,
  makeWorkDir,
  printMachine,
  printTable,
  readPeakRssMB,
  round,
  run,
  runFerry,
} from './support.js';

const TARGETS = { commandSeconds: 1, kitSeconds: 10, kitRssMB: 200, verifyShSeconds: 60 };
const USAGE = 'usage: npm run bench:ledger -- [--transfers 20000] [--dir DIR]';

interface Step {
  what: string;
  seconds: number;
  rssMB: number | null;
  target: { seconds: number; rssMB?: number };
}

async function timeFerry(home: string, rssFile: string, what: string, argv: string[], target: Step['target']): Promise<Step> {
  const start = performance.now();
  await runFerry(home, rssFile, argv);
  const seconds = (performance.now() - start) / 1000;
  return { what, seconds, rssMB: await readPeakRssMB(rssFile), target };
}

async function benchmark(work: string, transfers: number): Promise<Step[]> {
  const home = path.join(work, 'home');
  const rss = path.join(work, 'rss.json');
  const started = performance.now();
  const generated = generateLedger(home, { transfers });
  const bytes = (await fsp.stat(generated.file)).size;
  console.log(
    `  ledger   ${generated.count} lines, ${(bytes / 1e6).toFixed(0)} MB of SQLite, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  await runFerry(home, rss, ['keys', 'show']); // the site key, so no timed step pays for making it

  const bundle = generated.bundles[Math.floor(generated.bundles.length / 2)]!;
  const command = { seconds: TARGETS.commandSeconds };
  const steps: Step[] = [];
  const step = async (what: string, argv: string[], target: Step['target'] = command) => {
    const s = await timeFerry(home, rss, what, argv, target);
    console.log(`  ${what}: ${s.seconds.toFixed(2)} s`);
    steps.push(s);
  };
  await step('ledger verify', ['ledger', 'verify']);
  await step('ledger show --type export.completed', ['ledger', 'show', '--type', 'export.completed']);
  await step('ledger show --person "Cy Courier"', ['ledger', 'show', '--person', 'Cy Courier']);
  await step('ledger bundles', ['ledger', 'bundles']);
  await step('ledger report BUNDLE', ['ledger', 'report', bundle]);
  await step('ledger flags', ['ledger', 'flags']);
  const handoff = ['media', 'handoff', bundle, '--from', 'Bo Guard', '--to', 'Cy Courier', '--place', 'gate 2', '--seal-intact', 'yes'];
  await step('media handoff', handoff);
  const runbooks = path.join(work, 'runbooks');
  await fsp.mkdir(runbooks);
  await fsp.writeFile(path.join(runbooks, 'runbook.md'), '# Runbook\n');
  // An export of a few bytes: nearly all of its time is Node's start and its ledger work (previous bundle, carried lines, checkpoint).
  await step('export of one small file', ['export', '--out', path.join(work, 'small-bundle'), '--file', runbooks]);
  const kit = path.join(work, 'kit');
  await step('ledger export --out KIT', ['ledger', 'export', '--out', kit], { seconds: TARGETS.kitSeconds, rssMB: TARGETS.kitRssMB });

  const verifyStart = performance.now();
  await run('sh', [path.join(kit, 'VERIFY.sh')], { ...process.env, TMPDIR: work });
  const verifySeconds = (performance.now() - verifyStart) / 1000;
  console.log(`  sh VERIFY.sh: ${verifySeconds.toFixed(2)} s`);
  steps.push({ what: 'sh VERIFY.sh (the kit)', seconds: verifySeconds, rssMB: null, target: { seconds: TARGETS.verifyShSeconds } });
  return steps;
}

function report(steps: Step[]): boolean[] {
  const verdicts = steps.map((s) => s.seconds <= s.target.seconds && (s.target.rssMB === undefined || (s.rssMB ?? 0) <= s.target.rssMB));
  const rows = [['step', 'seconds', 'peak RSS', 'target', 'result']];
  steps.forEach((s, i) =>
    rows.push([
      s.what,
      s.seconds.toFixed(2),
      s.rssMB === null ? '-' : `${s.rssMB.toFixed(0)} MB`,
      `<= ${s.target.seconds} s${s.target.rssMB ? `, <= ${s.target.rssMB} MB` : ''}`,
      verdicts[i] ? 'PASS' : 'MISS',
    ]),
  );
  console.log('');
  printTable(rows);
  return verdicts;
}

async function main(): Promise<number> {
  let transfers: number;
  let dir: string;
  try {
    const { values } = parseArgs({ options: { transfers: { type: 'string', default: '20000' }, dir: { type: 'string' } } });
    transfers = Number(values.transfers);
    if (!Number.isInteger(transfers) || transfers < 1) throw new RangeError(`--transfers "${values.transfers}": give a whole number, e.g. 20000`);
    dir = path.resolve(values.dir ?? os.tmpdir());
  } catch (err) {
    console.error(`bench:ledger: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const removeCreatedDir = await createDir(dir);
  const { work, cleanup } = await makeWorkDir(dir, 'ferry-bench-ledger-', removeCreatedDir);
  const removeSignalHandlers = exitOnSignal(cleanup);
  try {
    const info = await describeMachine(work);
    console.log(`Ledger benchmark: ${transfers} transfers (an export, its media read back, a handoff: 7 events each)`);
    printMachine(info, work);
    const steps = await benchmark(work, transfers);
    const verdicts = report(steps);
    console.log('\nsummary (JSON):');
    const results = steps.map((s, i) => ({
      what: s.what,
      seconds: round(s.seconds),
      rssMB: s.rssMB === null ? null : round(s.rssMB),
      target: s.target,
      pass: verdicts[i],
    }));
    console.log(JSON.stringify({ bench: 'ferry-ledger', transfers, targets: TARGETS, machine: info, results }));
    return 0;
  } catch (err) {
    console.error(`\nbench:ledger: a step failed: ${failureMessage(err)}`);
    return 1;
  } finally {
    removeSignalHandlers();
    cleanup();
  }
}

process.exitCode = await main();

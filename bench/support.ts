/**
 * What the benchmarks (bench/export.ts, bench/import.ts, bench/push.ts) share: running and timing commands, the Ferry CLI
 * child that records its peak RSS, the OCI layout skopeo reads, the machine description, the work folder
 * and its cleanup on signals, and small number and table helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from '../main/cli/output.js';

export const GiB = 1024 ** 3;

/** Runs one Ferry CLI invocation and records its peak RSS in a file. */
const CHILD = fileURLToPath(new URL('./ferry-child.js', import.meta.url));

/** A step that failed in a way worth only its message (no stack). */
export class StepError extends Error {}

/** The command `run` is waiting for, if any, so a signal can stop it. */
let current: ChildProcess | undefined;

/** Runs a command to completion; rejects with its stderr when it fails. Returns stdout. */
export function run(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
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

export async function commandExists(cmd: string): Promise<boolean> {
  return run('which', [cmd]).then(
    () => true,
    () => false,
  );
}

/** Runs `ferry ARGV` with FERRY_HOME=home in a child that writes its peak RSS to `rssFile`. */
export async function runFerry(home: string, rssFile: string, argv: string[]): Promise<void> {
  await run(process.execPath, [CHILD, '--rss-file', rssFile, ...argv], { ...process.env, FERRY_HOME: home });
}

/** Every byte the last `runFerry` with this `rssFile` read, in all its threads (rchar). */
export async function readBytesRead(rssFile: string): Promise<number> {
  const { rchar } = JSON.parse(await fsp.readFile(rssFile, 'utf8')) as { rchar: number };
  return rchar;
}

/** User + system CPU seconds, all threads, of the last `runFerry` with this `rssFile`. */
export async function readCpuSeconds(rssFile: string): Promise<number> {
  const { cpuSeconds } = JSON.parse(await fsp.readFile(rssFile, 'utf8')) as { cpuSeconds: number };
  return cpuSeconds;
}

/** The peak RSS, in MB, that the last `runFerry` with this `rssFile` recorded. */
export async function readPeakRssMB(rssFile: string): Promise<number> {
  const { maxRssKiB } = JSON.parse(await fsp.readFile(rssFile, 'utf8')) as { maxRssKiB: number };
  return (maxRssKiB * 1024) / 1e6;
}

/**
 * Wall-clock seconds of `step`, with a `sync` before the clock starts (keeping earlier writeback out) and one after.
 * clock 'until-synced': the final sync is timed too (the step's writeback counts);
 * 'until-exit': the clock stops when the step ends, and the final sync runs off the clock.
 */
export async function timed(step: () => Promise<unknown>, clock: 'until-synced' | 'until-exit'): Promise<number> {
  await run('sync', []);
  const start = performance.now();
  await step();
  if (clock === 'until-synced') await run('sync', []);
  const seconds = (performance.now() - start) / 1000;
  if (clock === 'until-exit') await run('sync', []);
  return seconds;
}

/** Reads a file through once so it is page-cache warm for every step alike. */
export async function readThrough(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r');
  const buffer = Buffer.alloc(8 * 1024 * 1024);
  try {
    while ((await handle.read(buffer, 0, buffer.length, null)).bytesRead > 0);
  } finally {
    await handle.close();
  }
}

/** An OCI image layout holding the blob (hard-linked) as one uncompressed tar layer, so skopeo takes it as is; tagged `bench`. */
export async function makeOciLayout(layout: string, blob: string, digest: string, size: number): Promise<void> {
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

export const round = (n: number) => Number(n.toFixed(3));

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** `--runs VALUE` as a whole number >= 1; throws a RangeError saying so otherwise. */
export function parseRuns(value: string): number {
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`--runs "${value}": give a whole number >= 1`);
  return runs;
}

/** How a report's heading names the number of runs. */
export function runsLabel(runs: number): string {
  return runs > 1 ? `median of ${runs} runs; RSS is the max` : '1 run';
}

/** Prints rows as an aligned table, indented by two spaces. */
export function printTable(rows: string[][]): void {
  for (const line of table(rows)) console.log(`  ${line}`);
}

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  kernel: string;
  /** The file system `work` is on, as "TYPE on DEVICE". */
  fs: string;
}

export async function describeMachine(work: string): Promise<Machine> {
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

/** Prints the `machine` and `folder` lines of a benchmark's header. */
export function printMachine(info: Machine, work: string): void {
  console.log(`  machine  ${info.cpu}, ${info.cores} cores, ${info.ramGiB} GiB RAM, ${info.kernel}, node ${info.node}`);
  console.log(`  folder   ${work} (${info.fs})`);
}

/** Bytes free to an unprivileged user in the file system holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await fsp.statfs(dir);
  return stats.bavail * stats.bsize;
}

/** Creates `dir` and any missing parents; returns a function removing the first folder that had to be created, if any. */
export async function createDir(dir: string): Promise<() => void> {
  const createdDir = await fsp.mkdir(dir, { recursive: true });
  return () => {
    if (createdDir) fs.rmSync(createdDir, { recursive: true, force: true });
  };
}

/** A fresh folder `PREFIXxxxxxx` in `parent`, and a cleanup that removes it and then calls `removeParent`. */
export async function makeWorkDir(parent: string, prefix: string, removeParent: () => void): Promise<{ work: string; cleanup: () => void }> {
  const work = await fsp.mkdtemp(path.join(parent, prefix));
  const cleanup = () => {
    fs.rmSync(work, { recursive: true, force: true });
    removeParent();
  };
  return { work, cleanup };
}

/**
 * On SIGINT or SIGTERM (once): stops the command `run` is waiting for, awaits `cleanup`, exits with 130.
 * Returns the function that removes these handlers again.
 */
export function exitOnSignal(cleanup: () => void | Promise<void>): () => void {
  const onSignal = async () => {
    current?.kill('SIGTERM');
    await cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** What to print for a failed step: a StepError's message, otherwise the stack. */
export function failureMessage(err: unknown): string {
  return err instanceof StepError ? err.message : ((err as Error).stack ?? String(err));
}

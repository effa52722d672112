import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real `ferry` entry point of this checkout (tests run from dist/main/testing/). */
export const FERRY_BIN = fileURLToPath(new URL('../../../bin/ferry.js', import.meta.url));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion and collects its output; never throws on a non-zero exit. The
 * environment is this process's plus `env`, or only `env` with `exactEnv` (a machine without Node).
 */
export function run(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; exactEnv?: boolean; cwd?: string; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env = opts.exactEnv ? { ...opts.env } : { ...process.env, ...opts.env };
    const child = spawn(command, args, { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A command that exits without reading its input closes the pipe first; that is not a failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs `ferry ARGS` as a user would, with FERRY_HOME pointing at `home`; `input` is its standard input. */
export function ferry(home: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<RunResult> {
  return run(process.execPath, [FERRY_BIN, ...args], {
    env: { FERRY_HOME: home, FERRY_OPERATOR: 'Test Operator', ...env },
    ...(input !== undefined ? { input } : {}),
  });
}

/** The passphrase a test person types: their name, lower-cased, and a fixed tail. */
export const passphraseOf = (name: string) => `${name.toLowerCase()} passphrase`;

/** `ferry ARGS --as NAME --passphrase-stdin`, typing NAME's passphrase. */
export function ferryAs(home: string, name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return ferry(home, [...args, '--as', name, '--passphrase-stdin'], env, `${passphraseOf(name)}\n`);
}

/** Enrols each person with passphraseOf(name) (self-signed: before the two-person rule is on). */
export async function enrol(home: string, people: readonly { name: string; role: string }[]): Promise<void> {
  for (const p of people) {
    const added = await ferry(home, ['people', 'add', p.name, '--role', p.role, '--passphrase-stdin'], {}, `${passphraseOf(p.name)}\n`);
    if (added.code !== 0) throw new Error(`ferry people add ${p.name} failed: ${added.stderr}`);
  }
}

/** A one-file bundle exported with the real CLI into `work/bundle` by an exporter whose home is `work/exporter`; returns the bundle folder. */
export async function exportRunbookBundle(work: string): Promise<string> {
  const runbook = path.join(work, 'runbook.md');
  await fs.writeFile(runbook, '# Runbook\n');
  const bundle = path.join(work, 'bundle');
  const exported = await ferry(path.join(work, 'exporter'), ['export', '--out', bundle, '--file', runbook]);
  if (exported.code !== 0) throw new Error(`ferry export failed: ${exported.stderr}`);
  return bundle;
}

/**
 * The exporting site's public key as that site would send it, apart from the bundle: `--trust` refuses
 * the bundle's own signer.pub.pem, which cannot vouch for the bundle it travels with.
 */
export async function signerKeyApart(bundle: string): Promise<string> {
  const apart = path.join(path.dirname(bundle), `${path.basename(bundle)}-signer.pub.pem`);
  await fs.copyFile(path.join(bundle, 'signer.pub.pem'), apart);
  return apart;
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `ferry-${prefix}-`));
}

/** Every file under `dir`, relative, sorted: to compare trees byte for byte. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(rel: string): Promise<void> {
    for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) await walk(child);
      else out.push(child);
    }
  }
  await walk('');
  return out.sort();
}

/** A skip reason naming the tools a suite needs that this machine lacks, or false when all are there. */
export async function missingTools(names: readonly string[]): Promise<string | false> {
  const missing: string[] = [];
  for (const name of names) if (!(await commandExists(name))) missing.push(name);
  return missing.length > 0 ? `not installed: ${missing.join(', ')}` : false;
}

export async function commandExists(name: string): Promise<boolean> {
  const result = await run('sh', ['-c', `command -v ${name}`]).catch(() => undefined);
  return result?.code === 0;
}

/** Flips the bits of one byte of `file` in place: the smallest tampering a verifier must catch. */
export async function flipByte(file: string, offset: number): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, offset);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, offset);
  } finally {
    await handle.close();
  }
}

/** A `--json` run's envelope. */
export const jsonOf = (r: RunResult) => JSON.parse(r.stdout) as { ok: boolean; result: any; error?: { code: string; message: string } };

/** Fails the test with the run's output unless it exited 0. */
export function assertRan(r: RunResult, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr}${r.stdout}`);
}

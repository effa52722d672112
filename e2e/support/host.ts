import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';

const repo = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningHost {
  origin: string;
  /** Opens the wizard in this page with a fresh single-use URL (each URL logs in one browser context once). */
  open(page: Page): Promise<void>;
  home: string;
  stop(): Promise<void>;
  /** Kills the host as a crash or power cut would: no cleanup. */
  crash(): Promise<void>;
}

/** Starts `ferry serve` exactly as a user does; pages open it with fresh URLs asked of it as an operator would (`ferry serve url`). */
export async function startFerryHost(opts: { home: string; env?: NodeJS.ProcessEnv }): Promise<RunningHost> {
  // The suite's folders live in the temporary folder: the host offers it as a root, as `ferry serve --root` would a data disk.
  const child: ChildProcess = spawn(process.execPath, [path.join(repo, 'bin', 'ferry.js'), 'serve', '--root', os.tmpdir()], {
    env: { ...process.env, FERRY_HOME: opts.home, FERRY_OPERATOR: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ferry serve printed no URL:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`ferry serve exited (${code}):\n${output}`)));
  });
  const env = { ...process.env, FERRY_HOME: opts.home };
  return {
    origin: new URL(url).origin,
    home: opts.home,
    async open(page) {
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(repo, 'bin', 'ferry.js'), 'serve', 'url'], { env });
      await page.goto(stdout.trim());
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `ferry-e2e-${prefix}-`));
}

export const SCREENSHOTS = path.join(repo, 'test-results', 'screenshots');

export { repo };

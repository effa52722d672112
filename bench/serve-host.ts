import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WsRpc } from '../main/testing/ws-client.js';
import { StepError } from './support.js';

/** `ferry serve` in its own process, as the wizard's browser reaches it, and the calls a bench makes over its WebSocket. */

const FERRY_BIN = fileURLToPath(new URL('../../bin/ferry.js', import.meta.url));

export interface HostProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `ferry serve` with FERRY_HOME=home (and FERRY_OPERATOR=operator), its folder browser offering
 * `root` (the bench's work folder, outside the default roots), and waits for the URL it prints.
 */
export async function startServe(home: string, root: string, operator: string, cpuProf: string | undefined): Promise<HostProcess> {
  const nodeArgs = cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : [];
  const child = spawn(process.execPath, [...nodeArgs, FERRY_BIN, 'serve', '--root', root], {
    env: { ...process.env, FERRY_HOME: home, FERRY_OPERATOR: operator },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM'); // ferry serve closes the host and its workers, then exits
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StepError(`ferry serve printed no URL within 30 s:\n${output}`)), 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const found = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (err) => reject(new StepError(`ferry serve: ${err.message}`)));
    child.once('exit', (code, signal) => reject(new StepError(`ferry serve exited (${signal ?? `exit ${code}`}) before printing its URL:\n${output}`)));
  }).catch(async (err) => {
    await stop();
    throw err;
  });
  return { url, child, stop };
}

/** Calls `method`; an error envelope fails the step. */
export async function call(rpc: WsRpc, method: string, params: unknown = {}): Promise<any> {
  const answer = await rpc.call(method, params);
  if (!answer.ok) throw new StepError(`${method}: ${answer.error?.code} ${answer.error?.message}`);
  return answer.result;
}

export interface JobOutcome {
  id: string;
  state: string;
  /** Server-side: createdAt to the final updatedAt. */
  seconds: number;
  /** Client-side performance.now() when the final event arrived. */
  endedAt: number;
  error?: string;
}

/** Waits for the job's final job.updated event. */
export function waitForJob(rpc: WsRpc, id: string): Promise<JobOutcome> {
  return rpc
    .waitFor((e) => e.event === 'job.updated' && e.data.id === id && e.data.state !== 'running', 60 * 60_000)
    .then((e) => ({
      id,
      state: e.data.state as string,
      seconds: (Date.parse(e.data.updatedAt) - Date.parse(e.data.createdAt)) / 1000,
      endedAt: performance.now(),
      ...(e.data.error ? { error: `${e.data.error.code}: ${e.data.error.message}` } : {}),
    }));
}

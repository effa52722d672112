import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { commandExists, FERRY_BIN, ferry, tempDir } from '../testing/cli.js';
import { frame, RawWs } from '../testing/raw-ws.js';
import { loginToHost, WsRpc } from '../testing/ws-client.js';
import { controlSocketPath } from './control.js';

const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/g;

interface Serving {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the nth URL the process printed (1-based). */
  nthUrl(n: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `ferry serve` as a user starts it; `command` wraps it (e.g. in `script` for a terminal). */
function serve(home: string, command: string[] = [process.execPath, FERRY_BIN, 'serve']): Serving {
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, FERRY_HOME: home, FERRY_OPERATOR: 'Test Operator' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async nthUrl(n) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const urls = output.match(URL_PATTERN) ?? [];
        if (urls.length >= n) return urls[n - 1]!;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`ferry serve printed ${urls.length} URL(s), not ${n}:\n${output}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

describe('ferry serve: single-use URLs and fresh ones from the running host', () => {
  let work: string;
  let home: string;
  let host: Serving;

  before(async () => {
    work = await tempDir('serve');
    home = path.join(work, 'home');
    host = serve(home);
    await host.nthUrl(1);
  });
  after(async () => {
    await host?.stop();
    await fs.rm(work, { recursive: true, force: true });
  });

  test('the printed URL logs in once; a second use is refused with how to get a fresh one', async () => {
    const url = await host.nthUrl(1);
    assert.match(host.output(), /opens Ferry once/);
    await loginToHost(url);
    const again = await fetch(url, { redirect: 'manual' });
    assert.equal(again.status, 401);
    assert.match(await again.text(), /ferry serve url/);
  });

  test('ferry serve url asks the running host over an owner-only socket and prints a fresh single-use URL', async () => {
    const first = await loginToHost(await host.nthUrl(1)).catch(() => null);
    assert.equal(first, null, 'spent by the test before');
    const socket = await fs.stat(controlSocketPath(home));
    assert.ok(socket.isSocket());
    assert.equal(socket.mode & 0o777, 0o600);
    const asked = await ferry(home, ['serve', 'url']);
    assert.equal(asked.code, 0, asked.stderr);
    const url = asked.stdout.trim();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{40,}$/);
    assert.equal(new URL(url).port, new URL(await host.nthUrl(1)).port);
    const session = await loginToHost(url);
    assert.equal((await fetch(url, { redirect: 'manual' })).status, 401);
    const rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
    assert.equal((await rpc.call('app.ping')).ok, true);

    const next = await ferry(home, ['serve', 'url']);
    assert.equal(next.code, 0, next.stderr);
    assert.notEqual(next.stdout.trim(), url);
    assert.equal((await rpc.call('app.ping')).ok, true, 'a session already open keeps working after a fresh URL');
    rpc.close();
  });

  test('a malformed frame closes that connection and the ferry serve process keeps serving', async () => {
    const session = await loginToHost((await ferry(home, ['serve', 'url'])).stdout.trim());
    const raw = await RawWs.upgrade(Number(new URL(session.origin).port), { Cookie: session.cookie, Origin: session.origin });
    raw.write(frame({ opcode: 0x3, payload: Buffer.from('x') }));
    assert.equal((await raw.ending()).closeCode, 1002);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(host.child.exitCode, null, host.output());
    const rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
    assert.equal((await rpc.call('app.ping')).ok, true);
    rpc.close();
  });

  test('a second ferry serve on the same FERRY_HOME is refused, pointing at ferry serve url', async () => {
    const second = await ferry(home, ['serve']);
    assert.equal(second.code, 2, second.stderr);
    assert.match(second.stderr, /already running.*ferry serve url/);
  });

  test('without a running host, ferry serve url says so (exit 1); a socket left by a killed host is replaced', async () => {
    const lonely = path.join(work, 'lonely');
    const none = await ferry(lonely, ['serve', 'url']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /No ferry serve is running for .*Start one with: ferry serve/);

    const killed = serve(lonely);
    await killed.nthUrl(1);
    await killed.stop('SIGKILL');
    assert.ok((await fs.stat(controlSocketPath(lonely))).isSocket(), 'a killed host leaves its socket behind');
    assert.equal((await ferry(lonely, ['serve', 'url'])).code, 1);
    const restarted = serve(lonely);
    try {
      await restarted.nthUrl(1);
      const asked = await ferry(lonely, ['serve', 'url']);
      assert.equal(asked.code, 0, asked.stderr);
    } finally {
      await restarted.stop();
    }
    await assert.rejects(fs.stat(controlSocketPath(lonely)), { code: 'ENOENT' }, 'a stopped host removes its socket');
  });

  test('in a terminal, Enter prints a fresh single-use URL', async (t) => {
    if (!(await commandExists('script'))) return t.skip('no script(1) to give ferry serve a terminal');
    const tty = serve(path.join(work, 'tty'), ['script', '-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(FERRY_BIN)} serve`, '/dev/null']);
    try {
      const first = await tty.nthUrl(1);
      assert.match(tty.output(), /press Enter here/);
      tty.child.stdin!.write('\n');
      const fresh = await tty.nthUrl(2);
      assert.notEqual(fresh, first);
      await loginToHost(fresh);
      assert.equal((await fetch(fresh, { redirect: 'manual' })).status, 401);
    } finally {
      await tty.stop();
    }
  });
});

describe('ferry serve restarted: same port, open sessions kept, tokens still single-use', () => {
  let work: string;
  before(async () => {
    work = await tempDir('serve-restart');
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  test('after SIGKILL the host comes back on its port, an open tab is let in again, and a used token is refused', async () => {
    const home = path.join(work, 'home');
    const first = serve(home);
    const url = await first.nthUrl(1);
    const session = await loginToHost(url);
    const port = new URL(url).port;
    await first.stop('SIGKILL');

    const second = serve(home);
    try {
      const again = await second.nthUrl(1);
      assert.equal(new URL(again).port, port, 'the same port as before, so open tabs find it');
      // The tab's cookie from before the restart: the page and the WebSocket let it in.
      const page = await fetch(`${session.origin}/`, { headers: { Cookie: session.cookie } });
      assert.equal(page.status, 200);
      await page.body?.cancel();
      const rpc = await WsRpc.connect(session.wsUrl, { Cookie: session.cookie, Origin: session.origin });
      assert.equal((await rpc.call('app.ping', {})).ok, true);
      rpc.close();
      // The URL used before the restart opens nothing; an unknown cookie is refused.
      assert.equal((await fetch(url, { redirect: 'manual' })).status, 401);
      assert.equal((await fetch(`${session.origin}/`, { headers: { Cookie: 'ferry_session=forged' } })).status, 401);
      const stored = await fs.readFile(path.join(home, 'host.json'), 'utf8');
      assert.ok(!stored.includes(session.cookie.split('=')[1]!), 'the cookie itself is not stored, only its hash');
      assert.equal((await fs.stat(path.join(home, 'host.json'))).mode & 0o777, 0o600);
    } finally {
      await second.stop();
    }
  });

  test('--port N names the port; a port taken by another program falls back to a free one', async () => {
    const home = path.join(work, 'home-port');
    const blocker = serve(path.join(work, 'other-home'));
    const taken = new URL(await blocker.nthUrl(1)).port;
    try {
      const named = serve(home, [process.execPath, FERRY_BIN, 'serve', '--port', taken]);
      const code = await new Promise<number | null>((resolve) => named.child.once('exit', (c) => resolve(c)));
      assert.notEqual(code, 0);
      assert.match(named.output(), /in use/i, 'naming a busy port fails, saying so');
      await fs.mkdir(home, { recursive: true });
      await fs.writeFile(path.join(home, 'host.json'), JSON.stringify({ port: Number(taken), sessions: [] }));
      const fallback = serve(home);
      try {
        const port = new URL(await fallback.nthUrl(1)).port;
        assert.notEqual(port, taken);
      } finally {
        await fallback.stop();
      }
    } finally {
      await blocker.stop();
    }
  });
});

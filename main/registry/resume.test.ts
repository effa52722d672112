import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { missingTools, ferry, FERRY_BIN, run, tempDir, type RunResult } from '../testing/cli.js';
import { startFaultProxy, type FaultProxy } from '../testing/fault-proxy.js';
import { makeOllamaStore } from '../testing/ollama-fixture.js';
import { skopeoInspectRaw } from '../testing/oci-fixture.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';

const MiB = 1024 * 1024;
const MODEL = 'granite4.1:8b';
const MODEL_BYTES = 24 * MiB + 4321;
const CHUNK = 2 * MiB;
const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** `ferry import` as a child we can signal, with its exit and output. */
function startImport(home: string, args: string[]) {
  const child = spawn(process.execPath, [FERRY_BIN, 'import', ...args], {
    env: { ...process.env, FERRY_HOME: home, FERRY_OPERATOR: 'Test Operator' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<RunResult & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr })),
  );
  return { child, done };
}

function waitFor(proxy: FaultProxy, predicate: (req: { method: string; path: string }, count: number) => boolean): Promise<void> {
  return new Promise((resolve) => {
    let count = 0;
    proxy.onRequest((req) => {
      if (predicate(req, ++count)) resolve();
    });
  });
}

describe('a push that is stopped, killed, cut or refused resumes (docker-registry 2.8 behind a fault proxy)', async () => {
  const skip = await missingTools(['docker-registry', 'skopeo', 'curl']);
  let work: string;
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let bundle: string;
  let pubA: string;
  let modelDigest: string;
  let home: string;
  const pushArgs = (prefix: string, extra: string[] = []) => [
    bundle,
    '--trust',
    pubA,
    '--to-registry',
    `${proxy.host}/${prefix}`,
    '--plain-http',
    '--chunk-size',
    '2MiB',
    '--concurrency',
    '1',
    ...extra,
  ];

  /** skopeo reads the manifest, curl | sha256sum every blob it names: the pushed model is whole. */
  async function assertLanded(prefix: string): Promise<void> {
    const raw = await skopeoInspectRaw(`docker://${registry.host}/${prefix}/granite4.1:8b`);
    assert.equal(sha256(raw), modelDigest);
    const manifest = JSON.parse(raw.toString('utf8')) as { config: { digest: string }; layers: { digest: string }[] };
    for (const { digest } of [manifest.config, ...manifest.layers]) {
      const url = `${registry.url}/v2/${prefix}/granite4.1/blobs/${digest}`;
      const hashed = await run('sh', ['-c', `curl -sf "${url}" | sha256sum`]);
      assert.equal(`sha256:${hashed.stdout.split(' ')[0]}`, digest, `blob ${digest} as the registry serves it`);
    }
  }

  before(async () => {
    if (skip) return;
    work = await tempDir('resume');
    registry = await startRegistry();
    proxy = await startFaultProxy({ host: '127.0.0.1', port: registry.port });
    const store = path.join(work, 'store');
    await makeOllamaStore(store, [{ name: MODEL, modelBytes: MODEL_BYTES }]);
    bundle = path.join(work, 'usb', 'model');
    pubA = path.join(work, 'a.pub.pem');
    const homeA = path.join(work, 'home-a');
    const exported = await ferry(homeA, ['export', '--out', bundle, '--ollama-store', store, '--ollama', MODEL]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal((await ferry(homeA, ['keys', 'export-public', pubA])).code, 0);
    modelDigest = (JSON.parse(await fs.readFile(path.join(bundle, 'BUNDLE.json'), 'utf8')) as { artifacts: { digest: string }[] }).artifacts[0]!.digest;
    home = path.join(work, 'home-b');
  });
  after(async () => {
    await proxy?.stop();
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('SIGTERM finishes the chunk in flight and stops; the next run re-sends at most one chunk', { skip }, async () => {
    proxy.resetStats();
    proxy.throttle(6 * MiB);
    const run1 = startImport(home, pushArgs('term'));
    await waitFor(proxy, (req, n) => req.method === 'PATCH' && n > 0 && proxy.stats.methods.PATCH! >= 3);
    const signalledAt = Date.now();
    run1.child.kill('SIGTERM');
    const first = await run1.done;
    assert.ok(Date.now() - signalledAt < 5000, 'stops within seconds');
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stderr, /Paused: blob sha256:[0-9a-f]{64} is at \d+ of \d+ bytes on the registry\. Run the same import again to continue/);
    const sentBefore = proxy.stats.patchBytes;
    assert.ok(sentBefore > 0 && sentBefore < MODEL_BYTES);
    proxy.throttle(null);

    const second = await startImport(home, pushArgs('term')).done;
    assert.equal(second.code, 0, second.stderr);
    assert.ok(
      proxy.stats.patchBytes <= MODEL_BYTES + CHUNK,
      `sent ${proxy.stats.patchBytes} bytes in PATCHes for a ${MODEL_BYTES}-byte blob: at most one chunk again`,
    );
    const resumedGet = proxy.stats.requests.find((r) => r.method === 'GET' && r.path.includes('/blobs/uploads/'));
    assert.equal(resumedGet?.status, 204, 'the second run asked the registry where the upload stood');
    await assertLanded('term');
    const ledger = await ferry(home, ['ledger', 'show', '--json']);
    assert.match(ledger.stdout, /import\.paused/);
    const completed = (
      JSON.parse(ledger.stdout) as { result: { entries: { event: { type: string; push?: { resumed: { offset: number }[] } } }[] } }
    ).result.entries
      .filter((e) => e.event.type === 'import.completed')
      .pop()!;
    assert.ok(completed.event.push!.resumed[0]!.offset > 0, 'import.completed records the blob continued from the registry offset');
  });

  test('after SIGKILL mid-chunk the next run recovers, restarting the blob the registry invalidated', { skip }, async () => {
    proxy.resetStats();
    proxy.throttle(4 * MiB);
    const run1 = startImport(home, pushArgs('kill'));
    await waitFor(proxy, (req) => req.method === 'PATCH' && proxy.stats.methods.PATCH! >= 3);
    await new Promise((r) => setTimeout(r, 200));
    run1.child.kill('SIGKILL');
    assert.equal((await run1.done).signal, 'SIGKILL');
    proxy.throttle(null);
    const second = await startImport(home, [...pushArgs('kill'), '--json']).done;
    assert.equal(second.code, 0, second.stderr);
    const statusChecks = proxy.stats.requests.filter((r) => r.method === 'GET' && r.path.includes('/blobs/uploads/'));
    assert.ok(
      statusChecks.some((r) => r.status === 404),
      'distribution 2.8 dropped the session cut mid-chunk, and Ferry noticed',
    );
    await assertLanded('kill');
  });

  test('a registry restart mid-push: sessions die with it, and the push completes in the same run', { skip }, async () => {
    proxy.resetStats();
    proxy.throttle(4 * MiB);
    const run1 = startImport(home, pushArgs('restart'));
    await waitFor(proxy, (req) => req.method === 'PATCH' && proxy.stats.methods.PATCH! >= 2);
    await registry.restart();
    proxy.throttle(null);
    const result = await run1.done;
    assert.equal(result.code, 0, result.stderr);
    await assertLanded('restart');
  });

  test('5xx, 429 with Retry-After and connection resets are retried until the push completes', { skip }, async () => {
    proxy.resetStats();
    proxy.inject({ method: 'HEAD', times: 2, action: { kind: 'status', status: 503 } });
    proxy.inject({ method: 'POST', times: 1, action: { kind: 'status', status: 500 } });
    proxy.inject({ method: 'PATCH', times: 1, action: { kind: 'status', status: 429, retryAfter: '1' } });
    proxy.inject({ method: 'PATCH', times: 1, action: { kind: 'reset-after-request-bytes', bytes: 300_000 } });
    proxy.inject({ method: 'PATCH', times: 1, action: { kind: 'reset-before-response' } });
    proxy.inject({ method: 'PUT', path: /\/manifests\//, times: 1, action: { kind: 'reset-before-response' } });
    const startedAt = Date.now();
    const result = await startImport(home, pushArgs('faults')).done;
    assert.equal(result.code, 0, result.stderr);
    const faults = proxy.stats.requests.filter((r) => r.fault).map((r) => `${r.method} ${r.fault}${r.status ? ` ${r.status}` : ''}`);
    assert.deepEqual(
      faults.sort(),
      [
        'HEAD status 503',
        'HEAD status 503',
        'PATCH reset-after-request-bytes',
        'PATCH reset-before-response',
        'PATCH status 429',
        'POST status 500',
        'PUT reset-before-response',
      ].sort(),
    );
    assert.ok(Date.now() - startedAt >= 1000, 'Retry-After: 1 was honoured');
    await assertLanded('faults');
  });

  test('a proxy that refuses bodies over 12 MiB (HTTP 413): the chunks halve, once for the whole push, and it completes', { skip }, async () => {
    proxy.resetStats();
    const limit = 12 * MiB;
    const tooLarge = '<html><head><title>413 Request Entity Too Large</title></head></html>';
    proxy.inject({ method: 'PATCH', largerThan: limit, times: Infinity, action: { kind: 'status', status: 413, body: tooLarge } });
    try {
      // Chunks as sized by default: 8 MiB, then twice that (refused), then no more than 8 MiB.
      const args = pushArgs('limited').filter((a, i, all) => a !== '--chunk-size' && all[i - 1] !== '--chunk-size');
      const result = await startImport(home, args).done;
      assert.equal(result.code, 0, result.stderr);
      const refused = proxy.stats.requests.filter((r) => r.status === 413);
      assert.equal(refused.length, 1, 'one refusal teaches the limit to the rest of the push');
      assert.ok(proxy.stats.patchBytes <= MODEL_BYTES + 2 * MiB, `forwarded ${proxy.stats.patchBytes} PATCH bytes for a ${MODEL_BYTES}-byte blob`);
      await assertLanded('limited');
    } finally {
      proxy.clearFaults();
    }
  });

  test('a limit no chunk can meet is an error that says what to raise', { skip }, async () => {
    proxy.resetStats();
    proxy.inject({ method: 'PATCH', largerThan: 0, times: Infinity, action: { kind: 'status', status: 413 } });
    try {
      const result = await startImport(home, pushArgs('unreachable')).done;
      assert.equal(result.code, 1, result.stderr);
      assert.match(
        result.stderr,
        /refuses upload chunks of \d+ bytes as too large \(HTTP 413\)\. Raise the request size limit of the registry or of the proxy in front of it/,
      );
    } finally {
      proxy.clearFaults();
    }
  });
});

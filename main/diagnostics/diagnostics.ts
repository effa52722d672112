import { statfs } from 'node:fs/promises';
import os from 'node:os';
import type { Job } from '../../shared/rpc.js';
import type { Engine } from '../engine.js';
import { defaultHfCache } from '../hf/cache.js';
import { listTrustedKeys } from '../keys/keys.js';
import { defaultOllamaStore } from '../ollama/store.js';
import { readSettings } from '../settings.js';
import { FERRY_VERSION, ferryCommit } from '../version.js';
import { tarGz } from './archive.js';

/** The newest ledger lines a diagnostics archive carries when asked for them: enough to see what happened lately, bounded in memory. */
const DIAGNOSTIC_LEDGER_LINES = 20_000;
const RECENT_FAILURES = 50;

/** Names of fields that may hold a secret anywhere in what is written: dropped, whatever their value. */
const SECRET_FIELD = /pass(word|phrase)?|secret|token|credential|authori[sz]ation|cookie|private/i;

/** A copy of `value` without any field named like a secret, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !SECRET_FIELD.test(key))
      .map(([key, v]) => [key, withoutSecrets(v)]),
  );
}

async function freeSpaceOf(folder: string): Promise<{ folder: string; freeBytes: number | null; problem?: string }> {
  try {
    const stats = await statfs(folder);
    return { folder, freeBytes: stats.bavail * stats.bsize };
  } catch (err) {
    return { folder, freeBytes: null, problem: (err as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(withoutSecrets(value), null, 2)}\n`);

/**
 * One archive for support: versions, the platform, settings, job states, the ledger's count and head,
 * the last failures, free space of the folders Ferry uses; the newest ledger lines only when asked.
 * Nothing from the environment, no credential store, no key material.
 */
export async function diagnosticsArchive(engine: Engine, jobs: readonly Job[], opts: { withLedger?: boolean; transport: string }) {
  const head = engine.ledger.head();
  const settings = await readSettings(engine.home);
  const failures = engine.ledger
    .query({ outcome: 'failed', order: 'newest', limit: RECENT_FAILURES })
    .map((l) => withoutSecrets(JSON.parse(l.line.split('\t')[2]!)) as Record<string, unknown>)
    .map((e) => ({ type: e.type, time: e.time, job: e.job, bundle: e.bundle, error: e.error ?? e.reason, problems: e.problems }));
  const summary = {
    madeAt: new Date().toISOString(),
    ferry: { version: FERRY_VERSION, commit: ferryCommit(), transport: opts.transport },
    node: { version: process.version, v8: process.versions.v8, modules: process.versions.modules, sqlite: process.versions.sqlite },
    platform: {
      os: os.platform(),
      release: os.release(),
      arch: os.arch(),
      cpus: os.cpus().length,
      memoryBytes: os.totalmem(),
      freeMemoryBytes: os.freemem(),
      uptimeSeconds: Math.round(os.uptime()),
    },
    ferryHome: engine.home,
    settings,
    operator: engine.operator,
    siteKey: { fingerprint: engine.siteKey.fingerprint },
    trustedKeys: (await listTrustedKeys(engine.home)).map((k) => k.fingerprint),
    ledger: { ledgerId: engine.ledger.ledgerId, count: head.count, head: head.head, linesIncluded: opts.withLedger === true },
    freeSpace: await Promise.all([engine.home, defaultOllamaStore(), defaultHfCache(), os.tmpdir()].map(freeSpaceOf)),
  };
  const files = [
    { name: 'ferry-diagnostics/summary.json', bytes: json(summary) },
    { name: 'ferry-diagnostics/jobs.json', bytes: json(jobs) },
    { name: 'ferry-diagnostics/recent-failures.json', bytes: json(failures) },
  ];
  if (opts.withLedger) {
    const from = Math.max(0, head.count - DIAGNOSTIC_LEDGER_LINES);
    const lines: string[] = [];
    for (const line of engine.ledger.lines({ from: from + 1 })) lines.push(line);
    files.push({ name: 'ferry-diagnostics/ledger-newest.tsv', bytes: Buffer.from(lines.length > 0 ? `${lines.join('\n')}\n` : '') });
  }
  return { archive: tarGz(files), entries: files.map((f) => f.name) };
}

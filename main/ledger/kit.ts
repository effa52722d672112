import fs from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../engine.js';
import { writeFileAtomic } from '../util/atomic.js';
import { FerryError, toEnvelope } from '../util/errors.js';
import { lineHash, parseEventJson, splitLine } from './chain.js';
import { VERIFY_SH } from './kit-verify-script.js';
import type { Checkpoint, VerifyProblem } from './ledger.js';

/** Written in this order; VERIFY.sh last, so a kit with VERIFY.sh in it is complete. */
export const KIT_FILES = ['ledger.tsv', 'checkpoint.txt', 'checkpoint.sig', 'site.pub.pem', 'ledger.csv', 'ledger.json', 'VERIFY.sh'] as const;
export const CHECKPOINT_FILES = ['checkpoint.txt', 'checkpoint.sig', 'site.pub.pem'] as const;

export interface RecordedCheckpoint {
  ledgerId: string;
  count: number;
  head: string;
  time: string;
  text: string;
  signatureBase64: string;
  fingerprint: string;
  /** The seq of the `checkpoint` event recording it (always count + 1). */
  recordedAt: number;
}

export interface KitResult extends RecordedCheckpoint {
  dir: string;
  files: string[];
  /** What `ledger verify` found when the kit was made; a broken chain is exported as evidence, not refused. */
  chain: { ok: boolean; problems: VerifyProblem[] };
}

/**
 * Writes the auditor's kit into `outDir` (new or empty).
 *
 * Order: (1) sign a checkpoint over lines 1..N; (2) record it as line N+1, a `checkpoint` event;
 * (3) write the kit, whose ledger.tsv holds exactly lines 1..N, the lines the checkpoint covers;
 * (4) record line N+2, `ledger.exported` {out, count: N, head}. Lines N+1 and N+2 appear in the
 * next kit and are covered by its checkpoint. A failed write records `ledger.export.failed`.
 */
export async function exportKit(engine: Engine, outDir: string): Promise<KitResult> {
  const dir = path.resolve(outDir);
  const created = await prepareEmptyDir(dir, 'ledger export');
  const chain = engine.ledger.verify();
  const cp = engine.ledger.checkpoint(engine.siteKey);
  const lines = [...engine.ledger.lines({ from: 1, to: cp.count })];
  if (lines.length !== cp.count || lineHash(lines[lines.length - 1]!) !== cp.head) {
    throw new FerryError('INTEGRITY', `The ledger ${engine.ledger.file} changed under the checkpoint (lines 1-${cp.count}). Run ferry ledger verify.`, {
      count: cp.count,
    });
  }
  const recorded = recordCheckpoint(engine, cp, { purpose: 'ledger export', out: dir });
  const written: string[] = [];
  try {
    const contents: Record<(typeof KIT_FILES)[number], string | Buffer> = {
      'ledger.tsv': lines.map((l) => `${l}\n`).join(''),
      'checkpoint.txt': cp.text,
      'checkpoint.sig': cp.signature,
      'site.pub.pem': engine.siteKey.publicKeyPem,
      'ledger.csv': csvView(lines),
      'ledger.json': jsonView(lines, recorded),
      'VERIFY.sh': VERIFY_SH,
    };
    for (const name of KIT_FILES) {
      await writeFileAtomic(path.join(dir, name), contents[name], name === 'VERIFY.sh' ? 0o755 : 0o644);
      written.push(name);
    }
  } catch (err) {
    await Promise.all(written.map((name) => fs.rm(path.join(dir, name), { force: true }))).catch(() => undefined);
    if (created) await fs.rmdir(dir).catch(() => undefined);
    const envelope = toEnvelope(err);
    engine.ledger.append('ledger.export.failed', { out: dir, count: cp.count, head: cp.head, error: { code: envelope.code, message: envelope.message } });
    throw err;
  }
  engine.ledger.append('ledger.exported', { out: dir, count: cp.count, head: cp.head, files: [...KIT_FILES] });
  return { ...recorded, dir, files: [...KIT_FILES], chain: { ok: chain.ok, problems: chain.problems } };
}

/** Signs a checkpoint on demand and records it; with `outDir` (new or empty) also writes checkpoint.txt/.sig and site.pub.pem. */
export async function makeCheckpoint(engine: Engine, outDir?: string): Promise<RecordedCheckpoint & { dir?: string; files?: string[] }> {
  const dir = outDir === undefined ? undefined : path.resolve(outDir);
  if (dir !== undefined) await prepareEmptyDir(dir, 'ledger checkpoint');
  const cp = engine.ledger.checkpoint(engine.siteKey);
  const recorded = recordCheckpoint(engine, cp, { purpose: 'on demand', ...(dir !== undefined ? { out: dir } : {}) });
  if (dir === undefined) return recorded;
  await writeFileAtomic(path.join(dir, 'checkpoint.txt'), cp.text);
  await writeFileAtomic(path.join(dir, 'checkpoint.sig'), cp.signature);
  await writeFileAtomic(path.join(dir, 'site.pub.pem'), engine.siteKey.publicKeyPem);
  return { ...recorded, dir, files: [...CHECKPOINT_FILES] };
}

/** The openssl command an auditor runs in the folder holding the three checkpoint files. */
export const OPENSSL_VERIFY = 'openssl dgst -sha256 -verify site.pub.pem -signature checkpoint.sig checkpoint.txt';

function recordCheckpoint(engine: Engine, cp: Checkpoint, extra: { purpose: string; out?: string }): RecordedCheckpoint {
  const signatureBase64 = cp.signature.toString('base64');
  const { seq } = engine.ledger.append('checkpoint', { count: cp.count, head: cp.head, signature: signatureBase64, ...extra });
  return {
    ledgerId: engine.ledger.ledgerId,
    count: cp.count,
    head: cp.head,
    time: cp.time,
    text: cp.text,
    signatureBase64,
    fingerprint: engine.siteKey.fingerprint,
    recordedAt: seq,
  };
}

/** Creates `dir`, or accepts it when it is an empty folder; anything else is a USAGE error naming it. Returns whether it was created. */
async function prepareEmptyDir(dir: string, command: string): Promise<boolean> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      await fs.mkdir(dir, { recursive: true });
      return true;
    }
    if (code === 'ENOTDIR') throw new FerryError('USAGE', `${dir} is a file, not a folder. ferry ${command} --out needs a new or empty folder.`, { dir });
    throw err;
  }
  if (entries.length > 0) {
    throw new FerryError(
      'USAGE',
      `${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}). ferry ${command} --out needs a new or empty folder.`,
      { dir },
    );
  }
  return false;
}

interface ViewRow {
  seq: number;
  time: string;
  type: string;
  operator: string;
  role: string;
  bundle: string;
  job: string;
  json: string;
  event: Record<string, unknown> | undefined;
}

function viewRows(lines: string[]): ViewRow[] {
  return lines.map((line, i) => {
    const json = splitLine(line)?.json ?? line;
    const event = parseEventJson(json);
    const operator = (event?.operator ?? {}) as { name?: unknown; role?: unknown };
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    return {
      seq: i + 1,
      time: str(event?.time),
      type: str(event?.type),
      operator: str(operator.name),
      role: str(operator.role),
      bundle: str(event?.bundle),
      job: str(event?.job),
      json,
      event,
    };
  });
}

/**
 * RFC 4180 CSV. A cell a spreadsheet would run as a formula (= + - @) gets a leading apostrophe;
 * the view is for reading only, ledger.tsv is the evidence.
 */
function csvView(lines: string[]): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = [['seq', 'time', 'type', 'operator', 'role', 'bundle', 'job', 'event']];
  const out = rows.map((r) => r.join(','));
  for (const r of viewRows(lines)) out.push([r.seq, r.time, r.type, r.operator, r.role, r.bundle, r.job, r.json].map(cell).join(','));
  return `${out.join('\r\n')}\r\n`;
}

function jsonView(lines: string[], cp: RecordedCheckpoint): string {
  const entries = viewRows(lines).map((r) => ({
    seq: r.seq,
    time: r.time,
    type: r.type,
    operator: r.operator,
    role: r.role,
    bundle: r.bundle || null,
    job: r.job || null,
    event: r.event ?? { unreadable: r.json },
  }));
  const doc = {
    note: 'A readable view. The evidence is ledger.tsv, checkpoint.txt and checkpoint.sig; check them with sh VERIFY.sh.',
    ledgerId: cp.ledgerId,
    count: cp.count,
    head: cp.head,
    checkpointTime: cp.time,
    siteKeyFingerprint: cp.fingerprint,
    entries,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

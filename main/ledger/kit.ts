import fs from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../engine.js';
import { writeFileAtomic } from '../util/atomic.js';
import { AtomicFileWriter } from '../util/atomic-writer.js';
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
  const chain = await engine.ledger.verify({ derivedTables: false }); // the kit carries the lines alone
  const cp = engine.ledger.checkpoint(engine.siteKey);
  const views = await KitViews.open(dir, cp, engine);
  const written: string[] = [];
  let recorded: RecordedCheckpoint | undefined;
  try {
    await views.writeLines(engine, cp);
    recorded = recordCheckpoint(engine, cp, { purpose: 'ledger export', out: dir });
    const small: Partial<Record<(typeof KIT_FILES)[number], string | Buffer>> = {
      'checkpoint.txt': cp.text,
      'checkpoint.sig': cp.signature,
      'site.pub.pem': engine.siteKey.publicKeyPem,
      'VERIFY.sh': VERIFY_SH,
    };
    for (const name of KIT_FILES) {
      const content = small[name];
      if (content === undefined) await views.commit(name);
      else await writeFileAtomic(path.join(dir, name), content, name === 'VERIFY.sh' ? 0o755 : 0o644);
      written.push(name);
    }
  } catch (err) {
    await views.discard();
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

/** Lines read per query: the connection is free between pages (the host keeps answering) and memory stays flat. */
const PAGE = 2000;

/**
 * ledger.tsv and its readable views (ledger.csv, ledger.json), written in one pass over the lines
 * a checkpoint covers, page by page, into temp files that are committed one by one.
 */
class KitViews {
  private constructor(private readonly files: Record<'ledger.tsv' | 'ledger.csv' | 'ledger.json', AtomicFileWriter>) {}

  static async open(dir: string, cp: Checkpoint, engine: Engine): Promise<KitViews> {
    const files = {
      'ledger.tsv': await AtomicFileWriter.open(path.join(dir, 'ledger.tsv')),
      'ledger.csv': await AtomicFileWriter.open(path.join(dir, 'ledger.csv')),
      'ledger.json': await AtomicFileWriter.open(path.join(dir, 'ledger.json')),
    };
    await files['ledger.csv'].write(`${CSV_HEADER}\r\n`);
    await files['ledger.json'].write(jsonHead(cp, engine));
    return new KitViews(files);
  }

  /** Lines 1..count; refuses a ledger that changed under the checkpoint. */
  async writeLines(engine: Engine, cp: Checkpoint): Promise<void> {
    let seq = 0;
    let last = '';
    for (let from = 1; from <= cp.count; from += PAGE) {
      const page = [...engine.ledger.lines({ from, to: Math.min(cp.count, from + PAGE - 1) })];
      for (const line of page) {
        seq += 1;
        const row = viewRow(line, seq);
        await this.files['ledger.tsv'].write(`${line}\n`);
        await this.files['ledger.csv'].write(`${csvRow(row)}\r\n`);
        await this.files['ledger.json'].write(`${seq === 1 ? '' : ','}\n    ${JSON.stringify(jsonEntry(row), null, 2).replace(/\n/g, '\n    ')}`);
        last = line;
      }
      if (page.length < PAGE) break;
    }
    if (seq !== cp.count || lineHash(last) !== cp.head) {
      throw new FerryError('INTEGRITY', `The ledger ${engine.ledger.file} changed under the checkpoint (lines 1-${cp.count}). Run ferry ledger verify.`, {
        count: cp.count,
      });
    }
    await this.files['ledger.json'].write(`${seq === 0 ? '' : '\n  '}]\n}\n`);
  }

  async commit(name: (typeof KIT_FILES)[number]): Promise<void> {
    const file = this.files[name as keyof typeof this.files];
    if (!file) throw new Error(`internal: ${name} is not a streamed kit file`);
    await file.commit();
  }

  async discard(): Promise<void> {
    for (const file of Object.values(this.files)) await file.discard();
  }
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

function viewRow(line: string, seq: number): ViewRow {
  const json = splitLine(line)?.json ?? line;
  const event = parseEventJson(json);
  const operator = (event?.operator ?? {}) as { name?: unknown; role?: unknown };
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    seq,
    time: str(event?.time),
    type: str(event?.type),
    operator: str(operator.name),
    role: str(operator.role),
    bundle: str(event?.bundle),
    job: str(event?.job),
    json,
    event,
  };
}

const CSV_HEADER = ['seq', 'time', 'type', 'operator', 'role', 'bundle', 'job', 'event'].join(',');

/**
 * One RFC 4180 CSV row. A cell a spreadsheet would run as a formula (= + - @) gets a leading
 * apostrophe; the view is for reading only, ledger.tsv is the evidence.
 */
function csvRow(r: ViewRow): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [r.seq, r.time, r.type, r.operator, r.role, r.bundle, r.job, r.json].map(cell).join(',');
}

function jsonEntry(r: ViewRow) {
  return {
    seq: r.seq,
    time: r.time,
    type: r.type,
    operator: r.operator,
    role: r.role,
    bundle: r.bundle || null,
    job: r.job || null,
    event: r.event ?? { unreadable: r.json },
  };
}

/** ledger.json up to its entries, which follow one by one (the view is JSON.stringify(doc, null, 2), written in pieces). */
function jsonHead(cp: Checkpoint, engine: Engine): string {
  const doc = {
    note: 'A readable view. The evidence is ledger.tsv, checkpoint.txt and checkpoint.sig; check them with sh VERIFY.sh.',
    ledgerId: engine.ledger.ledgerId,
    count: cp.count,
    head: cp.head,
    checkpointTime: cp.time,
    siteKeyFingerprint: engine.siteKey.fingerprint,
  };
  return `${JSON.stringify(doc, null, 2).slice(0, -2)},\n  "entries": [`;
}

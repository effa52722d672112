import path from 'node:path';
import { AtomicFileWriter } from '../util/atomic-writer.js';
import { FerryError } from '../util/errors.js';
import { callThread } from '../util/thread-call.js';
import { lineHash, parseEventJson, splitLine } from './chain.js';
import { openReadConnection } from './line-pages.js';
import { walkLedger, type VerifyResult } from './verify-walk.js';

/** The kit's files written from the lines, on a thread of their own. */
export const VIEW_FILES = ['ledger.tsv', 'ledger.csv', 'ledger.json'] as const;

export interface ViewsJob {
  /** The ledger's SQLite file, opened read-only by the thread. */
  file: string;
  ledgerId: string;
  dir: string;
  cp: { count: number; head: string };
  /** ledger.json up to its entries. */
  jsonHead: string;
}

/**
 * Walks the chain and writes ledger.tsv, ledger.csv and ledger.json (lines 1..cp.count) on a
 * thread with its own read-only connection and a small young generation: reading, parsing and
 * formatting every line of a long ledger allocates fast, and on the main thread V8 answers that
 * by growing its heap (280 MB at 140,000 lines against under 200 MB here). Resolves what the chain
 * walk found; the three views are committed under their names, or nothing is left.
 */
const KIT_VIEWS_THREAD = { script: new URL('./kit-views-thread.js', import.meta.url), options: { resourceLimits: { maxYoungGenerationSizeMb: 6 } } };

export function writeKitViews(job: ViewsJob): Promise<VerifyResult> {
  return callThread<VerifyResult>(KIT_VIEWS_THREAD, job).result;
}

/** The thread's work (kit-views-thread.ts). */
export async function runViewsJob(job: ViewsJob): Promise<VerifyResult> {
  const db = openReadConnection(job.file);
  try {
    db.exec('BEGIN'); // the chain walked and the views written from one snapshot (ended by close)
    const chain = await walkLedger(db, job.file, job.ledgerId, { derivedTables: false });
    const views = await KitViews.open(job.dir, job.jsonHead);
    try {
      const range = db.prepare<[number, number], string>('SELECT line FROM entries WHERE seq >= ? AND seq <= ? ORDER BY seq').pluck();
      await views.writeLines((from, to) => range.all(from, to), job.cp, job.file);
      await views.commit();
    } catch (err) {
      await views.discard();
      throw err;
    }
    return chain;
  } finally {
    db.close();
  }
}

/** Lines read per query: the connection is free between pages (the host keeps answering) and memory stays flat. */
const PAGE = 2000;

/**
 * ledger.tsv and its readable views (ledger.csv, ledger.json), written in one pass over the lines
 * a checkpoint covers, page by page, into temp files that are committed together.
 */
class KitViews {
  private constructor(private readonly files: Record<(typeof VIEW_FILES)[number], AtomicFileWriter>) {}

  static async open(dir: string, jsonHead: string): Promise<KitViews> {
    const files = {
      'ledger.tsv': await AtomicFileWriter.open(path.join(dir, 'ledger.tsv')),
      'ledger.csv': await AtomicFileWriter.open(path.join(dir, 'ledger.csv')),
      'ledger.json': await AtomicFileWriter.open(path.join(dir, 'ledger.json')),
    };
    await files['ledger.csv'].write(`${CSV_HEADER}\r\n`);
    await files['ledger.json'].write(jsonHead);
    return new KitViews(files);
  }

  /** Lines 1..count; refuses a ledger that changed under the checkpoint. */
  async writeLines(range: (from: number, to: number) => string[], cp: { count: number; head: string }, file: string): Promise<void> {
    let seq = 0;
    let last = '';
    for (let from = 1; from <= cp.count; from += PAGE) {
      const page = range(from, Math.min(cp.count, from + PAGE - 1));
      for (const line of page) {
        seq += 1;
        const row = viewRow(line, seq);
        await this.files['ledger.tsv'].write(`${line}\n`);
        await this.files['ledger.csv'].write(`${csvRow(row)}\r\n`);
        await this.files['ledger.json'].write(`${seq === 1 ? '' : ','}\n    ${jsonEntry(row)}`);
        last = line;
      }
      if (page.length < PAGE) break;
    }
    if (seq !== cp.count || lineHash(last) !== cp.head) {
      throw new FerryError('INTEGRITY', `The ledger ${file} changed under the checkpoint (lines 1-${cp.count}). Run ferry ledger verify.`, {
        count: cp.count,
      });
    }
    await this.files['ledger.json'].write(`${seq === 0 ? '' : '\n  '}]\n}\n`);
  }

  async commit(): Promise<void> {
    for (const name of VIEW_FILES) await this.files[name].commit();
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

/** One entry on one line (grep and diff read it line by line); a readable event is its stored JSON as it is. */
function jsonEntry(r: ViewRow): string {
  const head = JSON.stringify({ seq: r.seq, time: r.time, type: r.type, operator: r.operator, role: r.role, bundle: r.bundle || null, job: r.job || null });
  return `${head.slice(0, -1)},"event":${r.event ? r.json : JSON.stringify({ unreadable: r.json })}}`;
}

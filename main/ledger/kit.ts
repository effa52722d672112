import fs from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../engine.js';
import { writeFileAtomic } from '../util/atomic.js';
import { FerryError, toEnvelope } from '../util/errors.js';
import { SIGNATURE_DIRS, writeKitSignatures } from './kit-signatures.js';
import { VERIFY_SH } from './kit-verify-script.js';
import { VIEW_FILES, writeKitViews } from './kit-views.js';
import type { Checkpoint, VerifyProblem, VerifyResult } from './ledger.js';

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
  const cp = engine.ledger.checkpoint(engine.siteKey);
  const written: string[] = [];
  let recorded: RecordedCheckpoint | undefined;
  let chain: VerifyResult;
  try {
    // The chain is walked and the files made from the lines are written on a thread of their own (kit-views.ts).
    const job = { file: engine.ledger.file, ledgerId: engine.ledger.ledgerId, dir, cp: { count: cp.count, head: cp.head }, jsonHead: jsonHead(cp, engine) };
    chain = await writeKitViews(job);
    written.push(...VIEW_FILES);
    recorded = recordCheckpoint(engine, cp, { purpose: 'ledger export', out: dir });
    if ((await writeKitSignatures(engine.ledger, dir, cp.count)).signatures > 0) written.push(...SIGNATURE_DIRS);
    const small: Partial<Record<(typeof KIT_FILES)[number], string | Buffer>> = {
      'checkpoint.txt': cp.text,
      'checkpoint.sig': cp.signature,
      'site.pub.pem': engine.siteKey.publicKeyPem,
      'VERIFY.sh': VERIFY_SH,
    };
    for (const name of KIT_FILES) {
      const content = small[name];
      if (content === undefined) continue;
      await writeFileAtomic(path.join(dir, name), content, name === 'VERIFY.sh' ? 0o755 : 0o644);
      written.push(name);
    }
  } catch (err) {
    // The folder was new or empty: what it holds now is this kit's, including the temp files of a thread that died.
    const left = await fs.readdir(dir).catch(() => [] as string[]);
    const ours = left.filter((name) => written.includes(name) || /\.ferry-[0-9a-f]+\.partial$/.test(name));
    await Promise.all(ours.map((name) => fs.rm(path.join(dir, name), { force: true, recursive: true }))).catch(() => undefined);
    if (created) await fs.rmdir(dir).catch(() => undefined);
    const envelope = toEnvelope(err);
    engine.ledger.append('ledger.export.failed', { out: dir, count: cp.count, head: cp.head, error: { code: envelope.code, message: envelope.message } });
    throw err;
  }
  const files = [...KIT_FILES, ...SIGNATURE_DIRS.filter((name) => written.includes(name)).map((name) => `${name}/`)];
  engine.ledger.append('ledger.exported', { out: dir, count: cp.count, head: cp.head, files });
  return { ...recorded, dir, files, chain: { ok: chain.ok, problems: chain.problems } };
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

/** ledger.json up to its entries, which follow one by one, an entry a line. */
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

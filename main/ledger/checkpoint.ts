import type { KeyObject } from 'node:crypto';
import { verifyDer } from '../keys/keys.js';
import { FerryError } from '../util/errors.js';
import { ZERO_HASH, lineHash, parseEventJson, splitLine } from './chain.js';

export const CHECKPOINT_HEADER = 'ferry-ledger-checkpoint v1';

export interface CheckpointFields {
  ledgerId: string;
  count: number;
  head: string;
  time: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COUNT = /^[1-9][0-9]*$/;
const HEX64 = /^[0-9a-f]{64}$/;
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The exact text that is signed: five lines, each ending in "\n". */
export function formatCheckpoint(cp: CheckpointFields): string {
  return `${CHECKPOINT_HEADER}\n${cp.ledgerId}\n${cp.count}\n${cp.head}\n${cp.time}\n`;
}

/** Strict parse of a checkpoint text; anything other than exactly what formatCheckpoint writes is INVALID_INPUT. */
export function parseCheckpoint(text: string): CheckpointFields {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw badCheckpoint('it must be five lines, each ending in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length !== 5) throw badCheckpoint(`it has ${lines.length} lines, not 5`);
  const [header, ledgerId, count, head, time] = lines as [string, string, string, string, string];
  if (header !== CHECKPOINT_HEADER) throw badCheckpoint(`line 1 must be "${CHECKPOINT_HEADER}"`, 1);
  if (!UUID.test(ledgerId)) throw badCheckpoint('line 2 must be the ledger id (a lower-case UUID)', 2);
  if (!COUNT.test(count) || !Number.isSafeInteger(Number(count))) throw badCheckpoint('line 3 must be the line count (a positive integer)', 3);
  if (!HEX64.test(head)) throw badCheckpoint('line 4 must be the head (64 lower-case hex digits)', 4);
  if (!UTC_MILLIS.test(time) || Number.isNaN(Date.parse(time)) || new Date(time).toISOString() !== time) {
    throw badCheckpoint('line 5 must be a UTC time such as 2026-01-31T12:00:00.000Z', 5);
  }
  return { ledgerId, count: Number(count), head, time };
}

/** True only when `text` is a well-formed checkpoint and the DER signature over its bytes verifies. */
export function verifyCheckpoint(text: string | Uint8Array, signatureDer: Uint8Array, publicKey: KeyObject | string): boolean {
  let bytes: Buffer;
  try {
    const asString = typeof text === 'string' ? text : new TextDecoder('utf-8', { fatal: true }).decode(text);
    parseCheckpoint(asString);
    bytes = Buffer.from(asString, 'utf8');
  } catch {
    return false;
  }
  return verifyDer(publicKey, bytes, signatureDer);
}

export type CheckpointMatch = { ok: true } | { ok: false; seq: number; message: string };

/**
 * The auditor's append-only check: the chain walk over the first `cp.count` lines must link
 * up from 64 zeros and end at `cp.head`. Lines beyond the count are not read.
 */
export function checkpointMatchesLines(lines: Iterable<string>, cp: Pick<CheckpointFields, 'ledgerId' | 'count' | 'head'>): CheckpointMatch {
  let prev = ZERO_HASH;
  let seen = 0;
  for (const line of lines) {
    if (seen === cp.count) break;
    seen += 1;
    const fields = splitLine(line);
    if (!fields) return mismatch(seen, `line ${seen} does not have three TAB-separated fields`);
    if (fields.seq !== String(seen)) return mismatch(seen, `line ${seen} says it is line ${fields.seq}`);
    if (fields.prev !== prev) return mismatch(seen, `line ${seen}'s prev does not match sha256 of line ${seen - 1} + "\\n"`);
    if (seen === 1) {
      const event = parseEventJson(fields.json);
      if (event?.ledgerId !== cp.ledgerId) return mismatch(1, `line 1 belongs to ledger ${String(event?.ledgerId)}, not ${cp.ledgerId}`);
    }
    prev = lineHash(line);
  }
  if (seen < cp.count) return mismatch(seen + 1, `the ledger has ${seen} lines but the checkpoint covers ${cp.count}: lines were removed`);
  if (prev !== cp.head) return mismatch(cp.count, `the walk over the first ${cp.count} lines ends at ${prev}, not at the checkpoint's head ${cp.head}`);
  return { ok: true };
}

function mismatch(seq: number, message: string): CheckpointMatch {
  return { ok: false, seq, message };
}

function badCheckpoint(reason: string, line?: number): FerryError {
  return new FerryError('INVALID_INPUT', `Not a Ferry ledger checkpoint: ${reason}.`, line === undefined ? {} : { line });
}

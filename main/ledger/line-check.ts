import { FerryError } from '../util/errors.js';
import { eventOfLine, parseEventJson, splitLine } from './chain.js';

/** One decoder for every line verify() walks (decode without `stream` keeps no state between calls). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

type StoredEvent = Record<string, unknown>;
interface VerifyProblem {
  seq: number;
  message: string;
}

/**
 * Whether SQLite's text of a line can be trusted as its bytes: bytes that are not valid UTF-8 read
 * back as U+FFFD (and a BLOB as a Buffer), so only then are the stored bytes needed.
 */
export function needsStoredBytes(line: unknown): boolean {
  return typeof line !== 'string' || line.includes('\uFFFD');
}

/** Checks one line by its stored bytes (see needsStoredBytes); returns its event when readable. */
export function checkStoredLine(seq: number, raw: Buffer, prevSeq: number | undefined, prevHash: string, problems: VerifyProblem[]): StoredEvent | undefined {
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    if (raw.includes(0x0a) || raw.includes(0x0d)) problems.push({ seq, message: 'the line contains a line break' });
    problems.push({ seq, message: 'the line is not valid UTF-8' });
    return undefined;
  }
  return checkLineText(seq, text, prevSeq, prevHash, problems);
}

/** Checks one line's text against its seq column and the previous line; returns its event when readable. */
export function checkLineText(seq: number, text: string, prevSeq: number | undefined, prevHash: string, problems: VerifyProblem[]): StoredEvent | undefined {
  // A line break inside a line would split it in ledger.tsv and break the auditor's walk.
  if (text.includes('\n') || text.includes('\r')) problems.push({ seq, message: 'the line contains a line break' });
  const fields = splitLine(text);
  if (!fields) {
    problems.push({ seq, message: 'the line does not have three TAB-separated fields' });
    return undefined;
  }
  if (fields.seq !== String(seq)) problems.push({ seq, message: `the line says seq "${fields.seq}" but is stored at seq ${seq}` });
  if (fields.prev !== prevHash) {
    problems.push({
      seq,
      message:
        prevSeq === undefined
          ? "the first line's prev is not 64 zeros"
          : `prev does not match sha256 of line ${prevSeq} + "\\n": line ${prevSeq} was changed, or lines were removed or reordered`,
    });
  }
  const event = parseEventJson(fields.json);
  if (!event) problems.push({ seq, message: 'the event is not a JSON object' });
  return event;
}

/** The ledger id line 1 names; a ledger without it has lost its identity. */
export function ledgerIdFromFirstLine(line: string, file: string): string {
  const event = eventOfLine(line);
  if (event?.type !== 'ledger.created' || typeof event.ledgerId !== 'string' || event.ledgerId === '') {
    throw new FerryError('INTEGRITY', `Line 1 of the ledger ${file} is not a ledger.created event with a ledger id.`, { file, seq: 1 });
  }
  return event.ledgerId;
}

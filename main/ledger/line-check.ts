import { FerryError } from '../util/errors.js';
import { parseEventJson, splitLine } from './chain.js';

/** One decoder for every line verify() walks (decode without `stream` keeps no state between calls). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

type StoredEvent = Record<string, unknown>;
interface VerifyProblem {
  seq: number;
  message: string;
}

/** Checks one stored line against its seq column and the previous line; returns its event when readable. */
export function checkStoredLine(seq: number, raw: Buffer, prevSeq: number | undefined, prevHash: string, problems: VerifyProblem[]): StoredEvent | undefined {
  // A line break inside a line would split it in ledger.tsv and break the auditor's walk.
  if (raw.includes(0x0a) || raw.includes(0x0d)) problems.push({ seq, message: 'the line contains a line break' });
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    problems.push({ seq, message: 'the line is not valid UTF-8' });
    return undefined;
  }
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
  const event = parseEventJson(splitLine(line)?.json ?? '');
  if (event?.type !== 'ledger.created' || typeof event.ledgerId !== 'string' || event.ledgerId === '') {
    throw new FerryError('INTEGRITY', `Line 1 of the ledger ${file} is not a ledger.created event with a ledger id.`, { file, seq: 1 });
  }
  return event.ledgerId;
}

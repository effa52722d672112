import { parseEventJson, splitLine } from './chain.js';

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
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
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

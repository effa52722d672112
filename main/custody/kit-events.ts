import fsp from 'node:fs/promises';
import path from 'node:path';
import { lineHash, parseEventJson, splitLine, ZERO_HASH } from '../ledger/chain.js';
import { FerryError } from '../util/errors.js';
import { describeEvent } from './describe.js';
import type { ViewedEvent } from './ledger-view.js';

/** Another site's ledger, from its auditor's kit (ledger.tsv), as events to reconcile against. */
export async function kitEvents(dir: string): Promise<ViewedEvent[]> {
  const file = dir.endsWith('.tsv') ? dir : path.join(dir, 'ledger.tsv');
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    throw new FerryError('NOT_FOUND', `${file} cannot be read. Give the folder of an auditor's kit (ferry ledger export --out DIR) or its ledger.tsv.`, {
      file,
    });
  }
  // The chain is walked as VERIFY.sh walks it, so a kit edited after export is refused, not reconciled.
  let prev = ZERO_HASH;
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((line, i) => {
      const fields = splitLine(line);
      const event = parseEventJson(fields?.json ?? '');
      if (!fields || !event) throw new FerryError('INVALID_INPUT', `${file} line ${i + 1} is not a ledger line.`, { file, line: i + 1 });
      if (fields.seq !== String(i + 1) || fields.prev !== prev) {
        throw new FerryError(
          'INTEGRITY',
          `${file} line ${i + 1}: the hash chain is broken there (a line changed, removed or reordered). Check the kit with sh VERIFY.sh before reconciling with it.`,
          { file, line: i + 1 },
        );
      }
      prev = lineHash(line);
      return { seq: Number(fields.seq), event, ...(typeof event.bundle === 'string' ? { bundle: event.bundle } : {}), ...describeEvent(event) };
    });
}

import fsp from 'node:fs/promises';
import type { BundleIndex } from '../../shared/bundle.js';
import type { ErrorCode } from '../../shared/errors.js';
import path from 'node:path';
import { FerryError } from '../util/errors.js';
import { BUNDLE_FILES } from './write.js';

/**
 * Bounds on what Ferry reads of a bundle folder's small files, checked before anything is parsed,
 * so a hostile (or unsigned, for `ferry inspect`) file cannot exhaust memory or the stack.
 * A real bundle of 100,000 blobs has a BUNDLE.json of about 12 MiB, nested 5 levels deep.
 */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;
export const MAX_INDEX_DEPTH = 32;
/** The exporter's carried lines are one export job's events: a handful in practice. */
export const MAX_CARRIED_LINES = 1000;
export const MAX_CARRIED_BYTES = 4 * 1024 * 1024;

const MIB = 1024 * 1024;

/** Reads `file` whole, refusing it with `code` when it is larger than `limit` bytes (checked on the open file, before reading). */
async function readBounded(file: string, limit: number, code: ErrorCode, name: string): Promise<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > limit)
      throw new FerryError(code, `${name} is ${size} bytes, more than the ${limit} bytes Ferry reads of it: this is not a bundle Ferry wrote.`, {
        file: name,
        limit,
      });
    const bytes = await handle.readFile();
    if (bytes.length > limit) throw new FerryError(code, `${name} grew past ${limit} bytes while it was read.`, { file: name, limit });
    return bytes;
  } finally {
    await handle.close();
  }
}

/** The most Ferry reads of each small file of a bundle folder, before verifying or parsing it. */
const FILE_LIMITS: Record<string, number> = {
  [BUNDLE_FILES.index]: MAX_INDEX_BYTES,
  [BUNDLE_FILES.sums]: 16 * MIB,
  [BUNDLE_FILES.signature]: 64 * 1024,
  [BUNDLE_FILES.signer]: 64 * 1024,
  [BUNDLE_FILES.verify]: MIB,
};

/** One of the small files of the bundle folder `dir` (BUNDLE.json, SHA256SUMS, …), read within its limit. */
export function readBundleFileBounded(dir: string, file: string, code: ErrorCode): Promise<Buffer> {
  return readBounded(path.join(dir, file), FILE_LIMITS[file] ?? MIB, code, file);
}

/** BUNDLE.json's size and nesting depth (arrays and objects, outside strings), before JSON.parse sees it. */
export function checkIndexBounds(bytes: Buffer, code: ErrorCode): void {
  const refuse = (message: string, details: Record<string, unknown>) => {
    throw new FerryError(code, `BUNDLE.json ${message}: this is not a bundle index Ferry wrote. Do not use this bundle.`, { file: 'BUNDLE.json', ...details });
  };
  if (bytes.length > MAX_INDEX_BYTES)
    refuse(`is ${bytes.length} bytes, over the ${MAX_INDEX_BYTES / MIB} MiB limit (MAX_INDEX_BYTES)`, { limit: MAX_INDEX_BYTES });
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > MAX_INDEX_DEPTH) refuse(`nests arrays and objects deeper than ${MAX_INDEX_DEPTH} levels (MAX_INDEX_DEPTH)`, { limit: MAX_INDEX_DEPTH });
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
}

/** The exporter's carried ledger lines, bounded in count and bytes before the importer records them. */
export function checkCarriedLedger(index: BundleIndex, code: ErrorCode): void {
  const { lines } = index.ledger;
  const refuse = (message: string, limit: number) => {
    throw new FerryError(code, `BUNDLE.json carries ${message} of the exporter's ledger. Do not use this bundle: ask the exporting site to export it again.`, {
      file: 'BUNDLE.json',
      field: 'ledger.lines',
      limit,
    });
  };
  if (lines.length > MAX_CARRIED_LINES) refuse(`${lines.length} lines, over the limit of ${MAX_CARRIED_LINES} (MAX_CARRIED_LINES)`, MAX_CARRIED_LINES);
  const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
  if (bytes > MAX_CARRIED_BYTES) refuse(`${bytes} bytes of lines, over the ${MAX_CARRIED_BYTES / MIB} MiB limit (MAX_CARRIED_BYTES)`, MAX_CARRIED_BYTES);
}

/**
 * Deterministic tar headers for the bundle's OCI layout: regular files only, mode 0644, uid/gid 0,
 * empty uname/gname, mtime 0. Sizes that ustar's 11 octal digits cannot hold (8 GiB and more) get a
 * pax `size` record, and the ustar field carries the same value in GNU base-256 for readers that
 * skip pax. The parser below is the strict reader the verifier and importer use.
 */
export const BLOCK = 512;
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
const USTAR_MAX_SIZE = 0o77777777777; // 8 GiB - 1

export function paddingFor(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function writeString(block: Buffer, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar field too long: ${value}`);
  bytes.copy(block, offset);
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  writeString(block, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

function writeBase256(block: Buffer, offset: number, length: number, value: bigint): void {
  let v = value;
  for (let i = offset + length - 1; i > offset; i--) {
    block[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  block[offset] = 0x80;
}

/**
 * One ustar header block with the fixed fields above (mode 0644, uid/gid 0, mtime 0) and the given
 * name, size, type flag and link name. A size above 8 GiB - 1 is written in GNU base-256. Checks
 * nothing but the field lengths: the crafted bundles of the tests write lies with it.
 */
export function ustarHeader(name: string, size: number | bigint, typeflag: string, linkname = ''): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, 0, 100, name);
  writeOctal(block, 100, 8, 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  if (BigInt(size) > BigInt(USTAR_MAX_SIZE)) writeBase256(block, 124, 12, BigInt(size));
  else writeOctal(block, 124, 12, Number(size));
  writeOctal(block, 136, 12, 0);
  block.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  block.write(typeflag, 156, 'latin1');
  writeString(block, 157, 100, linkname);
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return block;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
  return `${length}${body}`;
}

/** A pax extended header for the entry `name` that follows it: the 'x' header block, the records, their padding. */
export function paxHeader(name: string, records: Record<string, string>): Buffer {
  const data = Buffer.from(
    Object.entries(records)
      .map(([key, value]) => paxRecord(key, value))
      .join(''),
    'utf8',
  );
  return Buffer.concat([ustarHeader(`PaxHeaders/${name}`.slice(0, 100), data.length, 'x'), data, Buffer.alloc(paddingFor(data.length))]);
}

/** All the header bytes that precede a file's data (a pax header first when the size needs one). */
export function fileHeader(name: string, size: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`invalid tar entry size ${size}`);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  if (size <= USTAR_MAX_SIZE) return ustarHeader(name, size, '0');
  return Buffer.concat([paxHeader(name, { size: String(size) }), ustarHeader(name, size, '0')]);
}

/** Bytes a whole entry takes: headers, data, padding. */
export function entrySpan(name: string, size: number): { header: number; total: number } {
  const header = fileHeader(name, size).length;
  return { header, total: header + size + paddingFor(size) };
}

// ---- reading ----
// Strict: a field is accepted only in a form GNU tar and tar-stream read as the same value, so every
// reader of a bundle sees the same archive (main/testing/tar-corpus.ts holds the cases).

export interface TarHeader {
  name: string;
  size: number;
  typeflag: string;
  mode: number;
  linkname: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A NUL-terminated (or field-filling) UTF-8 string; bytes after the NUL must be NUL too. */
function readString(block: Buffer, offset: number, length: number, field: string): string {
  const bytes = block.subarray(offset, offset + length);
  const nul = bytes.indexOf(0);
  const end = nul === -1 ? length : nul;
  if (!isZeroBlock(bytes.subarray(end))) throw new Error(`tar header ${field} has bytes after its terminating NUL`);
  try {
    return utf8.decode(bytes.subarray(0, end));
  } catch {
    throw new Error(`tar header ${field} is not valid UTF-8`);
  }
}

/**
 * An octal field: optional leading spaces, at least one octal digit, then only spaces and NULs.
 * Base-256 (a first byte of exactly 0x80, GNU's positive form) only where `base256` allows it.
 */
function readNumber(block: Buffer, offset: number, length: number, field: string, base256 = false): number {
  if (block[offset]! & 0x80) {
    if (!base256 || block[offset] !== 0x80) throw new Error(`tar header ${field} is not an octal number`);
    let v = 0n;
    for (let i = offset + 1; i < offset + length; i++) v = (v << 8n) | BigInt(block[i]!);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`tar header ${field} is too large`);
    return Number(v);
  }
  const match = /^ *([0-7]+)[ \0]*$/.exec(block.toString('latin1', offset, offset + length));
  if (!match) throw new Error(`tar header ${field} is not an octal number`);
  const value = parseInt(match[1]!, 8);
  if (!Number.isSafeInteger(value)) throw new Error(`tar header ${field} is too large`);
  return value;
}

export function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/**
 * Parses one 512-byte POSIX ustar header (magic "ustar\0", version "00"), checking its checksum.
 * Returns null for a zero block. Other formats (GNU, v7, star) read the prefix field differently,
 * so they are refused rather than guessed at.
 */
export function parseHeader(block: Buffer): TarHeader | null {
  if (block.length !== BLOCK) throw new Error('short tar header');
  if (isZeroBlock(block)) return null;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  if (readNumber(block, 148, 8, 'checksum') !== sum) throw new Error('tar header checksum mismatch');
  if (block.toString('latin1', 257, 265) !== 'ustar\x0000') throw new Error('tar header is not POSIX ustar (magic "ustar", version "00")');
  const name = readString(block, 0, 100, 'name');
  const prefix = readString(block, 345, 155, 'prefix');
  const typeflag = block[156] === 0 ? '0' : String.fromCharCode(block[156]!);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    size: readNumber(block, 124, 12, 'size', true),
    typeflag,
    mode: readNumber(block, 100, 8, 'mode'),
    linkname: readString(block, 157, 100, 'linkname'),
  };
}

const DECIMAL = /^[0-9]+$/;

/** A pax decimal value as POSIX writes it ("%d"): digits only, nothing else. Throws otherwise. */
export function paxDecimal(text: string, what: string): number {
  const value = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw new Error(`pax ${what} ${JSON.stringify(text.slice(0, 40))} is not a decimal number`);
  return value;
}

/**
 * Parses pax records ("%d %s=%s\n", the length counting the whole record) into a map; throws on
 * anything else: a length that is not digits followed by one space, a length that overruns the
 * data or does not end on a newline, a record without "=" or with an empty key, a key twice.
 */
export function parsePaxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    let digitsEnd = pos;
    while (digitsEnd < data.length && digitsEnd - pos < 20 && data[digitsEnd]! >= 0x30 && data[digitsEnd]! <= 0x39) digitsEnd++;
    if (data[digitsEnd] !== 0x20) throw new Error('malformed pax record: its length is not decimal digits followed by a space');
    const length = paxDecimal(data.toString('latin1', pos, digitsEnd), 'record length');
    const end = pos + length;
    if (end > data.length || end <= digitsEnd + 1) throw new Error(`malformed pax record length ${length}`);
    if (data[end - 1] !== 0x0a) throw new Error('malformed pax record: it does not end with a newline where its length says');
    let record: string;
    try {
      record = utf8.decode(data.subarray(digitsEnd + 1, end - 1));
    } catch {
      throw new Error('malformed pax record: not valid UTF-8');
    }
    const eq = record.indexOf('=');
    if (eq <= 0) throw new Error('malformed pax record: no "key=value"');
    const key = record.slice(0, eq);
    if (records.has(key)) throw new Error(`pax record "${key}" appears twice`);
    records.set(key, record.slice(eq + 1));
    pos = end;
  }
  return records;
}

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
  const data = Buffer.from(Object.entries(records).map(([key, value]) => paxRecord(key, value)).join(''), 'utf8');
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

export interface TarHeader {
  name: string;
  size: number;
  typeflag: string;
  mode: number;
  linkname: string;
}

function readString(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  return block.toString('utf8', offset, end === -1 || end > offset + length ? offset + length : end);
}

function readNumber(block: Buffer, offset: number, length: number, field: string): number {
  if (block[offset]! & 0x80) {
    let v = 0n;
    for (let i = offset + 1; i < offset + length; i++) v = (v << 8n) | BigInt(block[i]!);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`tar header ${field} is too large`);
    return Number(v);
  }
  const text = block.toString('latin1', offset, offset + length).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new Error(`tar header ${field} is not a number`);
  return parseInt(text, 8);
}

export function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

/** Parses one 512-byte ustar header, checking its checksum. Returns null for a zero block. */
export function parseHeader(block: Buffer): TarHeader | null {
  if (block.length !== BLOCK) throw new Error('short tar header');
  if (isZeroBlock(block)) return null;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  if (readNumber(block, 148, 8, 'checksum') !== sum) throw new Error('tar header checksum mismatch');
  let name = readString(block, 0, 100);
  const magic = block.toString('latin1', 257, 263);
  if (magic.startsWith('ustar')) {
    const prefix = readString(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  return {
    name,
    size: readNumber(block, 124, 12, 'size'),
    typeflag: String.fromCharCode(block[156]!) === '\0' ? '0' : String.fromCharCode(block[156]!),
    mode: readNumber(block, 100, 8, 'mode'),
    linkname: readString(block, 157, 100),
  };
}

/** Parses pax records ("<len> key=value\n"...) into a map; throws on malformed records. */
export function parsePaxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) throw new Error('malformed pax record');
    const length = Number(data.toString('latin1', pos, space));
    if (!Number.isInteger(length) || length <= 0 || pos + length > data.length) throw new Error('malformed pax record length');
    const record = data.toString('utf8', space + 1, pos + length - 1);
    const eq = record.indexOf('=');
    if (eq === -1 || data[pos + length - 1] !== 0x0a) throw new Error('malformed pax record');
    records.set(record.slice(0, eq), record.slice(eq + 1));
    pos += length;
  }
  return records;
}

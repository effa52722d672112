/**
 * Crafted tar streams for the differential test of the bundle's tar reader: each case is one
 * archive and what Ferry must do with it. An accepted archive must be listed identically by Ferry,
 * GNU tar and tar-stream; a refused one is one where the readers could disagree, or that Ferry
 * never writes. The streams are built from the real header writer, then edited byte by byte.
 */
import { BLOCK, END_OF_ARCHIVE, paddingFor, ustarHeader } from '../bundle/tar.js';

export interface TarCase {
  name: string;
  expect: 'accept' | 'refuse';
  stream: Buffer;
}

/** Deterministic content of `size` bytes, different per `seed`. */
function content(size: number, seed: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + seed * 7 + 11) & 0xff;
  return data;
}

/** Recomputes a header's checksum after an edit, as a careful forger would. */
function rechecksum(block: Buffer): Buffer {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return block;
}

/** A header from the real writer, edited by `edit` (which may write any bytes), checksum fixed. */
function header(name: string, size: number | bigint, edit?: (block: Buffer) => void, typeflag = '0'): Buffer {
  const block = ustarHeader(name, size, typeflag);
  edit?.(block);
  return rechecksum(block);
}

/** Writes `text` into a header field, clearing the field first. */
function field(block: Buffer, offset: number, length: number, text: string | Buffer): void {
  block.fill(0, offset, offset + length);
  (typeof text === 'string' ? Buffer.from(text, 'latin1') : text).copy(block, offset);
}

/** A pax extended header ('x', or 'g' global) holding exactly these record bytes. */
function pax(records: string, typeflag = 'x'): Buffer {
  const data = Buffer.from(records, 'latin1');
  return Buffer.concat([header('PaxHeaders/f', data.length, undefined, typeflag), data, Buffer.alloc(paddingFor(data.length))]);
}

/** The data of an entry, padded to a block. */
function body(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc(paddingFor(data.length))]);
}

function archive(...parts: Buffer[]): Buffer {
  return Buffer.concat([...parts, END_OF_ARCHIVE]);
}

/** A file whose ustar header is edited, and its data. */
function file(name: string, data: Buffer, edit?: (block: Buffer) => void): Buffer {
  return Buffer.concat([header(name, data.length, edit), body(data)]);
}

/** A file preceded by a pax header with these records; the ustar size is `ustarSize` (default the data length). */
function paxFile(records: string, data: Buffer, ustarSize = data.length): Buffer {
  return Buffer.concat([pax(records), header('f', ustarSize), body(data)]);
}

/** A pax record with its length computed as POSIX says. */
function record(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let length = rest.length + 1;
  while (`${length}${rest}`.length !== length) length = `${length}${rest}`.length;
  return `${length}${rest}`;
}

const five = content(5, 1);
const thousand = content(1000, 2);

export function tarCorpus(): TarCase[] {
  const cases: TarCase[] = [];
  const add = (expect: TarCase['expect'], name: string, stream: Buffer) => cases.push({ name, expect, stream });

  // ---- what Ferry writes, and harmless variants every reader agrees on ----
  add('accept', 'two plain files', archive(file('oci-layout', content(30, 3)), file('blobs/sha256/a', content(700, 4))));
  add('accept', 'an empty file', archive(file('empty', Buffer.alloc(0))));
  add('accept', 'a pax size record equal to the ustar size', archive(paxFile(record('size', '1000'), thousand)));
  add('accept', 'a pax size with a leading zero', archive(paxFile(record('size', '05'), five)));
  add('accept', 'a pax record length with a leading zero', archive(paxFile('011 size=5\n', five)));
  add('accept', 'a base-256 size', archive(file('b256', five, (b) => field(b, 124, 12, Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])))));
  add('accept', 'an octal size with leading spaces', archive(file('f', five, (b) => field(b, 124, 12, '        05 '))));
  add('accept', 'an octal size ended by a space', archive(file('f', five, (b) => field(b, 124, 12, '0000000005 '))));
  add('accept', 'an octal size filling its field', archive(file('f', five, (b) => field(b, 124, 12, '000000000005'))));
  add('accept', 'a mode ended by space and NULs', archive(file('f', five, (b) => field(b, 100, 8, '644 '))));
  add('accept', 'type flag NUL (old regular file)', archive(file('f', five, (b) => (b[156] = 0))));
  add('accept', 'a name in the ustar prefix field', archive(file('deep/er/f', five, (b) => (field(b, 0, 100, 'f'), field(b, 345, 155, 'deep/er')))));

  // ---- pax values POSIX does not allow ----
  add('refuse', 'a pax size with a leading space', archive(paxFile(record('size', ' 5'), five)));
  add('refuse', 'a pax size with a plus sign', archive(paxFile(record('size', '+5'), five)));
  add('refuse', 'a pax size in hex', archive(paxFile(record('size', '0x5'), five)));
  add('refuse', 'a pax size with an exponent', archive(paxFile(record('size', '1e3'), thousand)));
  add('refuse', 'a pax size with trailing junk', archive(paxFile(record('size', '5abc'), five)));
  add('refuse', 'a pax size with a trailing space', archive(paxFile(record('size', '5 '), five)));
  add('refuse', 'an empty pax size', archive(paxFile(record('size', ''), Buffer.alloc(0))));
  add('refuse', 'a pax record length in hex', archive(paxFile('0xb size=5\n', five)));
  add('refuse', 'a pax record length with a leading space', archive(paxFile(' 11 size=5\n', five)));
  add('refuse', 'a pax record length with an exponent', archive(paxFile('12e0 size=5\n', five)));
  add('refuse', 'a pax record length longer than the record', archive(paxFile('12 size=5\n', five)));
  add('refuse', 'a pax record length shorter than the record', archive(paxFile('8 size=5\n', five)));
  add('refuse', 'a stray byte after the last pax record', archive(paxFile('9 size=5\n\n', five)));
  add('refuse', 'a pax record without its newline', archive(paxFile('9 size=5x', five)));
  add('refuse', 'a pax size disagreeing with the ustar size', archive(paxFile(record('size', '5'), five, 7)));
  add('refuse', 'a pax path override', archive(paxFile(record('path', 'elsewhere'), five)));
  add('refuse', 'a pax key given twice', archive(paxFile(record('size', '1000') + record('size', '5'), five)));

  // ---- ustar numbers and formats the readers read differently ----
  add('refuse', 'an octal size with junk after its NUL', archive(file('f', five, (b) => field(b, 124, 12, '0000005\0abc'))));
  add('refuse', 'an octal size of spaces only', archive(file('f', Buffer.alloc(0), (b) => field(b, 124, 12, '           '))));
  add('refuse', 'an octal size with an 8', archive(file('f', five, (b) => field(b, 124, 12, '0000000008\0'))));
  add(
    'refuse',
    'a base-256 size with a first byte of 0x81',
    archive(file('f', five, (b) => field(b, 124, 12, Buffer.from([0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])))),
  );
  add('refuse', 'a negative base-256 size', archive(file('f', five, (b) => b.fill(0xff, 124, 136))));
  const badSum = header('f', 5);
  badSum[0] = 0x67;
  add('refuse', 'a bad checksum', archive(badSum, body(five)));
  add('refuse', 'a checksum in base-256', archive(Buffer.concat([checksumBase256(header('f', 5)), body(five)])));
  add('refuse', 'GNU magic with bytes in the prefix field', archive(file('f', five, (b) => (field(b, 257, 8, 'ustar  \0'), field(b, 345, 155, 'evil')))));
  add(
    'refuse',
    'a prefix that also reads as star times',
    archive(file('f', five, (b) => (field(b, 345, 131, 'evil'), field(b, 476, 12, '00000000000 '), field(b, 488, 12, '00000000000 ')))),
  );
  add('refuse', 'a name with bytes after its NUL', archive(file('f', five, (b) => field(b, 0, 100, 'f\0hidden'))));
  add('refuse', 'a name that is not UTF-8', archive(file('f', five, (b) => field(b, 0, 100, Buffer.from([0x66, 0xff])))));
  add('refuse', 'a regular file named like a folder', archive(file('dir/', Buffer.alloc(0))));

  // ---- entries that are not plain files, and broken archives ----
  const longName = 'n'.repeat(120);
  const longData = Buffer.from(`${longName}\0`, 'latin1');
  add(
    'refuse',
    'a GNU long name (L)',
    archive(
      header('././@LongLink', longData.length, (b) => field(b, 257, 8, 'ustar  \0'), 'L'),
      body(longData),
      file('short', five),
    ),
  );
  add('refuse', 'a Solaris extended header (X)', archive(header('x', 0, undefined, 'X'), file('f', five)));
  add('refuse', 'a global pax header', archive(pax(record('size', '5'), 'g'), file('f', five)));
  add('refuse', 'the same name twice', archive(file('f', five), file('f', content(5, 9))));
  add('refuse', 'an archive cut in the middle of data', archive(file('f', thousand)).subarray(0, BLOCK + 600));
  add('refuse', 'an archive without its end marker', Buffer.concat([file('f', five), Buffer.alloc(BLOCK)]));
  add('refuse', 'an entry after a lone zero block', archive(file('f', five), Buffer.alloc(BLOCK), file('g', five)));
  return cases;
}

/** The header with its checksum written in GNU base-256 (the right value, in a form only some readers take). */
function checksumBase256(block: Buffer): Buffer {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  field(block, 148, 8, Buffer.from([0x80, 0, 0, 0, 0, 0, sum >> 8, sum & 0xff]));
  return block;
}

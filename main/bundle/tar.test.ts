import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BLOCK, entrySpan, fileHeader, parseHeader, parsePaxRecords } from './tar.js';
import { StrictTarReader, type EntrySink, type TarEntry } from './tar-reader.js';

test('a small entry is one deterministic ustar header', () => {
  const header = fileHeader('blobs/sha256/' + 'a'.repeat(64), 1234);
  assert.equal(header.length, BLOCK);
  assert.deepEqual(parseHeader(header), { name: 'blobs/sha256/' + 'a'.repeat(64), size: 1234, typeflag: '0', mode: 0o644, linkname: '' });
  assert.equal(header.toString('latin1', 257, 263), 'ustar\0');
  assert.equal(header.toString('latin1', 136, 148), '00000000000\0', 'mtime 0');
  assert.ok(fileHeader('x', 1).equals(fileHeader('x', 1)), 'same input, same bytes');
});

test('sizes of 8 GiB and more get a pax size record and a base-256 ustar size', () => {
  const size = 8 * 1024 ** 3;
  const header = fileHeader('big', size);
  assert.equal(header.length, 3 * BLOCK);
  const pax = parseHeader(header.subarray(0, BLOCK))!;
  assert.equal(pax.typeflag, 'x');
  assert.equal(parsePaxRecords(header.subarray(BLOCK, BLOCK + pax.size)).get('size'), String(size));
  assert.equal(parseHeader(header.subarray(2 * BLOCK))!.size, size);
  assert.equal(entrySpan('big', size).header, 3 * BLOCK);
  assert.equal(fileHeader('edge', size - 1).length, BLOCK, '8 GiB - 1 still fits ustar');
});

test('a corrupted header fails its checksum', () => {
  const header = fileHeader('oci-layout', 30);
  header[0] = 'p'.charCodeAt(0);
  assert.throws(() => parseHeader(header), /checksum/);
});

test('pax record lengths count their own digits', () => {
  const header = fileHeader('n', 123_456_789_012);
  const pax = parseHeader(header.subarray(0, BLOCK))!;
  const text = header.toString('utf8', BLOCK, BLOCK + pax.size);
  assert.equal(Number(text.split(' ')[0]), Buffer.byteLength(text));
});

test("the strict reader takes the writer's own 8 GiB header (pax size and base-256 ustar size agree)", () => {
  const seen: TarEntry[] = [];
  class Headers extends StrictTarReader {
    protected onEntry(entry: TarEntry): EntrySink {
      seen.push(entry);
      return { end: () => undefined };
    }
  }
  const size = 8 * 1024 ** 3 + 7;
  new Headers((finding) => finding).feed(fileHeader('blobs/sha256/' + 'b'.repeat(64), size));
  assert.deepEqual(seen, [{ name: 'blobs/sha256/' + 'b'.repeat(64), size, dataOffset: 3 * BLOCK }]);
});

/**
 * Two independent readers of a tar stream, for the differential test against Ferry's own walk:
 * GNU tar (extracting into a temporary folder, then walking it) and tar-stream's extract.
 * Each returns what it saw as sorted {name, type, size, sha256}, or the error it stopped with.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import tarStream from 'tar-stream';
import { run, tempDir } from './cli.js';

export interface SeenEntry {
  name: string;
  type: string;
  size: number;
  sha256: string;
}

export type ReaderResult = { ok: true; entries: SeenEntry[] } | { ok: false; error: string };

function sorted(entries: SeenEntry[]): SeenEntry[] {
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What `tar -x` makes of the stream: every file, link and leaf folder it created; a non-zero exit is an error. */
export async function gnuTarRead(stream: Buffer): Promise<ReaderResult> {
  const dir = await tempDir('gnutar');
  try {
    const archive = path.join(dir, 'archive.tar');
    const out = path.join(dir, 'out');
    await fs.writeFile(archive, stream);
    await fs.mkdir(out);
    const result = await run('tar', ['-x', '--no-same-owner', '-f', archive, '-C', out]);
    if (result.code !== 0) return { ok: false, error: `tar exited ${result.code}: ${result.stderr.trim()}` };
    const entries: SeenEntry[] = [];
    // Names are walked as bytes: an archive may hold a name that is not UTF-8.
    const walk = async (rel: Buffer): Promise<void> => {
      const full = Buffer.concat([Buffer.from(`${out}/`), rel]);
      const children = await fs.readdir(full, { encoding: 'buffer' });
      if (children.length === 0 && rel.length) entries.push({ name: `${rel.toString()}/`, type: 'directory', size: 0, sha256: '' });
      for (const child of children) {
        const name = rel.length ? Buffer.concat([rel, Buffer.from('/'), child]) : child;
        const file = Buffer.concat([Buffer.from(`${out}/`), name]);
        const stat = await fs.lstat(file);
        if (stat.isDirectory()) await walk(name);
        else if (stat.isFile()) {
          const bytes = await fs.readFile(file);
          entries.push({ name: name.toString(), type: 'file', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
        } else entries.push({ name: name.toString(), type: stat.isSymbolicLink() ? 'symlink' : 'other', size: 0, sha256: '' });
      }
    };
    await walk(Buffer.alloc(0));
    return { ok: true, entries: sorted(entries) };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** What tar-stream's extract reports, entry by entry; some malformed headers stall it, which counts as an error. */
export function tarStreamRead(stream: Buffer): Promise<ReaderResult> {
  return new Promise((done) => {
    const stalled = setTimeout(() => done({ ok: false, error: 'tar-stream stalled' }), 2000);
    const resolve = (result: ReaderResult) => {
      clearTimeout(stalled);
      done(result);
    };
    const entries: SeenEntry[] = [];
    const extract = tarStream.extract();
    extract.on('entry', (header, data, next) => {
      const hash = createHash('sha256');
      let size = 0;
      data.on('data', (piece: unknown) => {
        const bytes = piece as Buffer;
        hash.update(bytes);
        size += bytes.length;
      });
      data.on('end', () => {
        entries.push({ name: header.name, type: header.type ?? 'unknown', size, sha256: header.type === 'file' ? hash.digest('hex') : '' });
        next();
      });
      data.resume();
    });
    extract.on('finish', () => resolve({ ok: true, entries: sorted(entries) }));
    extract.on('error', (err: Error) => resolve({ ok: false, error: err.message }));
    extract.end(stream);
  });
}

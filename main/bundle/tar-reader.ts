import { FerryError } from '../util/errors.js';
import { BLOCK, paddingFor, paxDecimal, parseHeader, parsePaxRecords, type TarHeader } from './tar.js';

/** A bundle's pax headers hold one short size record; anything claiming more is refused before it is buffered. */
const MAX_PAX = 64 * 1024;

/** What each non-regular tar type flag is, so a refusal says which kind of entry it met. */
const TYPE_NAMES: Record<string, string> = {
  '1': 'a hard link',
  '2': 'a symbolic link',
  '3': 'a character device',
  '4': 'a block device',
  '5': 'a directory',
  '6': 'a FIFO',
  '7': 'a contiguous file',
  g: 'a global pax header',
  L: 'a GNU long name',
  K: 'a GNU long link name',
};

/** Why a path from the stream could land outside wherever it were extracted, or undefined. */
function unsafePath(name: string): string | undefined {
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return 'has an absolute path';
  if (name.split(/[/\\]/).includes('..')) return 'has a ".." path part';
  return undefined;
}

/** One regular file of the stream, as every reader of the archive sees it. */
export interface TarEntry {
  name: string;
  size: number;
  /** Where its data starts in the stream. */
  dataOffset: number;
}

/** What a reader does with an entry's data: `data` gets each piece, `end` is called after the last. */
export interface EntrySink {
  data?(piece: Buffer): void;
  end(): void;
}

type State =
  | { kind: 'header' }
  | { kind: 'pax'; remaining: number; padding: number; chunks: Buffer[] }
  | { kind: 'data'; sink: EntrySink; remaining: number; padding: number }
  | { kind: 'padding'; remaining: number }
  | { kind: 'trailer' };

/**
 * The one strict walk over a bundle's tar stream, fed as it goes by. It accepts only what Ferry
 * writes, in forms every tar reader reads alike: POSIX ustar regular files with safe, distinct
 * names; a pax header only with a decimal `size` that equals the ustar size; zero padding; an
 * end-of-archive marker followed by nothing but zeros. Everything else is an INTEGRITY failure.
 * Subclasses decide what the entries must be (TarChecker) or collect them (listTar).
 */
export abstract class StrictTarReader {
  protected position = 0;
  private state: State = { kind: 'header' };
  private headerBuffer = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private paxSize: number | undefined;
  private trailerStart = 0;
  /** Every entry name met so far: a second entry of the same name is refused, whatever it holds. */
  private readonly seen = new Set<string>();

  /** `describe` turns a finding into the whole refusal message (what stream, what to do next). */
  constructor(private readonly describe: (finding: string, position: number) => string) {}

  protected fail(message: string, details: Record<string, unknown> = {}): never {
    throw new FerryError('INTEGRITY', this.describe(message, this.position), { offset: this.position, ...details });
  }

  /** A regular file's header was read; returns what takes its data. */
  protected abstract onEntry(entry: TarEntry): EntrySink;

  /** The first zero block was read. */
  protected onArchiveEnd(): void {}

  feed(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const state = this.state;
      if (state.kind === 'header') {
        const take = Math.min(BLOCK - this.headerFill, chunk.length - pos);
        chunk.copy(this.headerBuffer, this.headerFill, pos, pos + take);
        this.headerFill += take;
        pos += take;
        this.position += take;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.onHeader(this.headerBuffer);
        }
      } else if (state.kind === 'trailer') {
        for (let i = pos; i < chunk.length; i++) if (chunk[i] !== 0) this.fail('data after the end of the archive');
        this.position += chunk.length - pos;
        pos = chunk.length;
      } else {
        const take = Math.min(state.remaining, chunk.length - pos);
        const piece = chunk.subarray(pos, pos + take);
        if (state.kind === 'pax') state.chunks.push(Buffer.from(piece));
        else if (state.kind === 'data') state.sink.data?.(piece);
        else for (const byte of piece) if (byte !== 0) this.fail('non-zero padding');
        state.remaining -= take;
        pos += take;
        this.position += take;
        if (state.remaining === 0) this.finish(state);
      }
    }
  }

  /** Call after the last byte: the stream must have ended cleanly with the end-of-archive marker. */
  end(): void {
    if (this.state.kind !== 'trailer') this.fail('the stream ended early (truncated)');
    if (this.position < this.trailerStart + 2 * BLOCK) this.fail('the end-of-archive marker is missing');
  }

  private afterData(padding: number): void {
    this.state = padding ? { kind: 'padding', remaining: padding } : { kind: 'header' };
  }

  private finish(state: Exclude<State, { kind: 'header' } | { kind: 'trailer' }>): void {
    if (state.kind === 'padding') this.state = { kind: 'header' };
    else if (state.kind === 'data') {
      state.sink.end();
      this.afterData(state.padding);
    } else {
      this.paxSize = this.paxSizeOf(Buffer.concat(state.chunks));
      this.afterData(state.padding);
    }
  }

  private paxSizeOf(data: Buffer): number {
    let records: Map<string, string>;
    try {
      records = parsePaxRecords(data);
    } catch (err) {
      return this.fail((err as Error).message);
    }
    for (const [key, value] of records) {
      const unsafe = key === 'path' || key === 'linkpath' ? unsafePath(value) : undefined;
      if (unsafe) this.fail(`pax ${key} ${JSON.stringify(value)} ${unsafe}`, { entry: value });
      if (key !== 'size') this.fail(`unexpected pax record "${key}"`);
    }
    if (!records.has('size')) this.fail('a pax header without a size record');
    try {
      return paxDecimal(records.get('size')!, 'size');
    } catch (err) {
      return this.fail((err as Error).message);
    }
  }

  private onHeader(block: Buffer): void {
    let header: TarHeader | null;
    try {
      header = parseHeader(block);
    } catch (err) {
      this.fail((err as Error).message);
    }
    if (header === null) {
      if (this.paxSize !== undefined) this.fail('a pax header with no entry after it');
      this.onArchiveEnd();
      this.trailerStart = this.position - BLOCK;
      this.state = { kind: 'trailer' };
      return;
    }
    if (header.typeflag === 'x') {
      if (this.paxSize !== undefined) this.fail('two pax headers in a row');
      if (header.size > MAX_PAX) this.fail(`a pax header of ${header.size} bytes`);
      if (header.size === 0) this.fail('an empty pax header');
      this.state = { kind: 'pax', remaining: header.size, padding: paddingFor(header.size), chunks: [] };
      return;
    }
    // Refused by name and kind before anything else, so the refusal says what the entry is.
    const unsafe = unsafePath(header.name);
    if (unsafe) this.fail(`entry ${JSON.stringify(header.name)} ${unsafe}`, { entry: header.name });
    if (header.typeflag !== '0') {
      const kind = TYPE_NAMES[header.typeflag] ?? `of type ${JSON.stringify(header.typeflag)}`;
      const target = header.linkname ? ` (to ${JSON.stringify(header.linkname)})` : '';
      this.fail(`entry ${JSON.stringify(header.name)} is ${kind}${target}, not a regular file`, { entry: header.name });
    }
    // A trailing slash makes GNU tar and tar-stream create a directory.
    if (header.name === '' || header.name.endsWith('/')) this.fail(`entry ${JSON.stringify(header.name)} is not a file name`, { entry: header.name });
    if (header.linkname) this.fail(`entry ${JSON.stringify(header.name)} has a link name`, { entry: header.name });
    if (this.seen.has(header.name))
      this.fail(`entry ${JSON.stringify(header.name)} appears twice (a later copy would replace the checked one when extracted)`, { entry: header.name });
    this.seen.add(header.name);
    // A reader that skips pax headers uses the ustar size: both must say the same.
    if (this.paxSize !== undefined && this.paxSize !== header.size)
      this.fail(`entry ${JSON.stringify(header.name)} has a pax size ${this.paxSize} but a ustar size ${header.size}`, { entry: header.name });
    this.paxSize = undefined;
    const sink = this.onEntry({ name: header.name, size: header.size, dataOffset: this.position });
    if (header.size === 0) {
      sink.end();
      this.state = { kind: 'header' };
    } else this.state = { kind: 'data', sink, remaining: header.size, padding: paddingFor(header.size) };
  }
}

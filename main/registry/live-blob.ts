import { Readable } from 'node:stream';
import type { ByteRange, Descriptor, ReadOnlyStore } from '../content/store.js';

interface Piece {
  /** Where the piece starts in the blob. */
  start: number;
  bytes: Buffer;
  taken: () => void;
}

/** A plain copy (Buffer.from would copy a shared buffer's view byte by byte). */
function copyOf(chunk: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(chunk.length);
  copy.set(chunk);
  return copy;
}

/**
 * One blob as the bundle's single read hands it over, piece by piece, to whoever uploads it: a
 * read at the live point takes the pieces as they come (the read waits for it: backpressure),
 * bytes asked for ahead of it are skipped, and bytes behind it (a chunk sent again after a cut
 * connection) or after the read stopped feeding come from `volumes`: only a retry reads twice.
 */
export class LiveBlob implements ReadOnlyStore {
  private fed = 0;
  private piece: Piece | null = null;
  private waiting: (() => void) | null = null;
  private detached = false;
  private finished = false;

  constructor(
    private readonly blob: Descriptor,
    private readonly volumes: ReadOnlyStore,
  ) {}

  /**
   * The next bytes of the blob; resolves once they were taken, or when nobody will take them.
   * `bytes` is copied when it lies in a shared read ring: the read fills that slot again as soon as
   * it moves on, while the upload may still be sending the piece.
   */
  offer(chunk: Buffer): Promise<void> {
    const bytes = chunk.buffer instanceof SharedArrayBuffer ? copyOf(chunk) : chunk;
    const start = this.fed;
    this.fed += bytes.length;
    if (this.finished || this.detached) return Promise.resolve();
    return new Promise((taken) => {
      this.piece = { start, bytes, taken };
      this.wake();
    });
  }

  /** The uploader reads no more (it finished, found the blob there, or failed). */
  finish(): void {
    this.finished = true;
    this.release();
  }

  /** The read feeds no more: what is still asked for comes from the volumes. */
  detach(): void {
    this.detached = true;
    this.release();
    this.wake();
  }

  fetch(_descriptor: Descriptor, range?: ByteRange): Readable {
    const { offset, length } = range ?? { offset: 0, length: this.blob.size };
    return Readable.from(this.read(offset, offset + length));
  }

  private release(): void {
    const piece = this.piece;
    this.piece = null;
    piece?.taken();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }

  private async *read(from: number, to: number): AsyncGenerator<Buffer> {
    let at = from;
    while (at < to) {
      const piece = this.piece;
      const liveStart = piece ? piece.start : this.fed;
      if (this.detached || at < liveStart) {
        const upto = this.detached ? to : Math.min(to, liveStart);
        yield* this.volumes.fetch(this.blob, { offset: at, length: upto - at }) as AsyncIterable<Buffer>;
        at = upto;
        continue;
      }
      if (!piece) {
        await new Promise<void>((resolve) => (this.waiting = resolve));
        continue;
      }
      const pieceEnd = piece.start + piece.bytes.length;
      if (at >= pieceEnd) {
        this.release(); // ahead of this piece: skipped (the read has hashed it)
        continue;
      }
      const end = Math.min(to, pieceEnd);
      const out = piece.bytes.subarray(at - piece.start, end - piece.start);
      at = end;
      if (end === pieceEnd) this.release();
      yield out;
    }
  }
}

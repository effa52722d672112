import path from 'node:path';
import { Readable } from 'node:stream';
import type { BundleVolume } from '../../shared/bundle.js';
import { FerryError } from '../util/errors.js';
import { readVolume } from './volume-reads.js';

/**
 * The volumes of one bundle seen as one tar stream, read in place from the folder (or the disc):
 * no joined copy, no extraction. A range may cross volume boundaries.
 */
export class VolumeSet {
  private readonly starts: number[] = [];
  readonly size: number;

  constructor(
    readonly dir: string,
    readonly volumes: readonly BundleVolume[],
  ) {
    let offset = 0;
    for (const volume of volumes) {
      this.starts.push(offset);
      offset += volume.size;
    }
    this.size = offset;
  }

  pathOf(volume: BundleVolume): string {
    return path.join(this.dir, volume.file);
  }

  /** The bytes [offset, offset + length) of the tar stream, streamed with backpressure. */
  readRange(offset: number, length: number): Readable {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new FerryError(
        'INTEGRITY',
        `Bytes ${offset} to ${offset + length} lie outside the ${this.size}-byte tar stream of the bundle in ${this.dir}: BUNDLE.json does not match its volumes. Verify the bundle again (ferry verify).`,
        {
          offset,
          length,
        },
      );
    }
    const pieces = this.piecesOf(offset, length);
    return Readable.from(
      (async function* () {
        for (const piece of pieces) {
          if (piece.length === 0) continue;
          let got = 0;
          for await (const chunk of readVolume(piece.file, { start: piece.start, end: piece.start + piece.length - 1 })) {
            got += chunk.length;
            yield chunk;
          }
          if (got !== piece.length) {
            throw new FerryError(
              'INTEGRITY',
              `Volume ${path.basename(piece.file)} ended early: it is truncated, or changed since it was verified. Copy it again from its disc.`,
              { volume: path.basename(piece.file) },
            );
          }
        }
      })(),
      { objectMode: false },
    );
  }

  private piecesOf(offset: number, length: number): { file: string; start: number; length: number }[] {
    const pieces: { file: string; start: number; length: number }[] = [];
    let remaining = length;
    let position = offset;
    for (let i = 0; i < this.volumes.length && remaining > 0; i++) {
      const start = this.starts[i]!;
      const volume = this.volumes[i]!;
      const end = start + volume.size;
      if (position >= end) continue;
      const take = Math.min(end - position, remaining);
      pieces.push({ file: this.pathOf(volume), start: position - start, length: take });
      position += take;
      remaining -= take;
    }
    return pieces;
  }
}

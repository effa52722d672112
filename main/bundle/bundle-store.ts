import type { Readable } from 'node:stream';
import type { BundleBlob } from '../../shared/bundle.js';
import { VolumeSet } from './volume-set.js';
import { FerryError } from '../util/errors.js';
import { ListedBlobs } from '../content/listed-blobs.js';
import type { ByteRange, Descriptor } from '../content/store.js';

/**
 * A bundle's blobs, read in place from its volumes at the offsets BUNDLE.json gives (a blob may
 * cross from one volume into the next). Read-only; call it only on a verified bundle.
 */
export class BundleStore extends ListedBlobs<BundleBlob> {
  constructor(
    readonly volumes: VolumeSet,
    blobs: readonly BundleBlob[],
  ) {
    super(blobs);
  }

  fetch(descriptor: Descriptor, range?: ByteRange): Readable {
    const blob = this.entry(descriptor.digest);
    if (!blob) throw new FerryError('INVALID_INPUT', `Blob ${descriptor.digest} is not in the bundle in ${this.volumes.dir}.`, { blob: descriptor.digest });
    const { offset, length } = this.span(blob, range);
    return this.volumes.readRange(blob.offset + offset, length);
  }
}

import { Readable } from 'node:stream';
import type { RegistryClient } from './client.js';
import { streamBlob } from './pull.js';
import type { ByteRange, Descriptor, ReadOnlyStore } from '../content/store.js';

/** One repository of a registry, pull side: a blob is downloaded whole, resuming by Range where the connection drops. */
export class RegistryStore implements ReadOnlyStore {
  constructor(
    readonly client: RegistryClient,
    readonly repository: string,
    private readonly signal?: AbortSignal,
  ) {}

  fetch(descriptor: Descriptor, range?: ByteRange): Readable {
    if (range) throw new Error(`internal: registry blob ${descriptor.digest} is read whole, not by range`);
    return Readable.from(streamBlob(this.client, this.repository, descriptor.digest, descriptor.size, this.signal), { objectMode: false });
  }
}

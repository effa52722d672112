import type { Descriptor } from './store.js';

/** Where an export source's bytes are. Plain data, so a plan can cross into a worker thread. */
export type BlobLocation = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'file'; path: string } | { kind: 'registry'; registry: string; repository: string };

export type RegistryLocation = Extract<BlobLocation, { kind: 'registry' }>;

/** A blob an export reads, with where its bytes are. */
export interface LocatedBlob extends Descriptor {
  source: BlobLocation;
}

/**
 * Deliberately wrong bundles, for the importer's hostile-input tests. A bundle is built from clean
 * parts (artifacts planned with the real planBundle, entries written with the real tar headers),
 * then the test edits one thing: the artifacts before planning, the tar entries (name, type flag,
 * data, link name, raw size field, pax records), the volume bytes, or BUNDLE.json. Everything the
 * edit does not touch is recomputed to describe the stream truthfully (offsets, sizes, volume
 * hashes, tar.size), and SHA256SUMS is signed with the given key exactly as writeBundleMetadata
 * signs it, so every outer check passes and only the crafted lie remains. With no edits the
 * result is byte-identical to what the exporter writes.
 */
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BundleIndex } from '../../shared/bundle.js';
import type { BlobLocation } from '../content/location.js';
import { blobEntryName, planBundle, type ArtifactInput, type BundlePlan } from '../bundle/plan.js';
import { END_OF_ARCHIVE, fileHeader, paddingFor, paxHeader, ustarHeader } from '../bundle/tar.js';
import { writeBundleMetadata } from '../bundle/write.js';
import { fingerprintOf, signDer, type SiteKey } from '../keys/keys.js';
import { formatCheckpoint } from '../ledger/checkpoint.js';
import { ollamaArtifact } from '../ollama/artifact.js';
import { readModel } from '../ollama/store.js';
import { makeOllamaStore, type FixtureModel } from './ollama-fixture.js';

/** One tar entry as the crafted stream will hold it. */
export interface CraftEntry {
  name: string;
  /** The bytes that follow the header (padded to 512 by their real length, whatever the header says). */
  data: Buffer;
  /** The type flag: '0' regular (default), '1' hard link, '2' symlink, '3' char device, '4' block device, '5' directory, '6' FIFO. */
  type?: string;
  linkname?: string;
  /** The ustar size field; default data.length. Above 8 GiB - 1 it is written in GNU base-256. */
  headerSize?: number | bigint;
  /** Records of a pax header written just before this entry, e.g. { size: '1099511627776' } or { path: '../x' }. */
  pax?: Record<string, string>;
}

export interface CraftOptions {
  /** The bundle folder to create; its basename is the bundle name unless `name` is given. */
  dir: string;
  name?: string;
  signer: SiteKey;
  volumeSize: number;
  /** The clean artifacts (e.g. from ollamaParts); copied before editing. */
  inputs: readonly ArtifactInput[];
  /** Edit the artifacts before they are planned (a ref, a manifest, the blob list). */
  editInputs?: (inputs: ArtifactInput[]) => void;
  /** Edit the tar entries: change, add, remove, reorder. */
  editEntries?: (entries: CraftEntry[], plan: BundlePlan) => void;
  /** Edit the volume files' bytes (e.g. cut the last one short); their sizes and hashes are recomputed. */
  editVolumes?: (volumes: Buffer[]) => Buffer[] | void;
  /** Edit BUNDLE.json last, after every field was computed from what was written. */
  editIndex?: (index: BundleIndex, layout: StreamLayout) => void;
}

export interface PlacedEntry {
  name: string;
  type: string;
  /** The size the headers declare (pax size when there is one). */
  size: number;
  /** Where the data starts in the tar stream. */
  dataOffset: number;
}

export interface StreamLayout {
  entries: PlacedEntry[];
  /** The whole tar stream before it is cut into volumes. */
  stream: Buffer;
}

export interface CraftedBundle {
  dir: string;
  name: string;
  index: BundleIndex;
  plan: BundlePlan;
  layout: StreamLayout;
  bundleDigest: string;
}

/** A site key made in memory, as loadOrCreateSiteKey would make one. */
export function testSiteKey(): SiteKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: fingerprintOf(publicKey) };
}

/** Builds an Ollama fixture store in `storeDir` and returns its models as bundle artifacts, as the exporter reads them. */
export async function ollamaParts(storeDir: string, models: FixtureModel[]): Promise<ArtifactInput[]> {
  await makeOllamaStore(storeDir, models);
  const inputs: ArtifactInput[] = [];
  for (const model of models) inputs.push(ollamaArtifact(await readModel(storeDir, model.name)));
  return inputs;
}

async function bytesOf(source: BlobLocation): Promise<Buffer> {
  if (source.kind === 'bytes') return Buffer.from(source.bytes);
  if (source.kind === 'file') return fs.readFile(source.path);
  throw new Error('crafted bundles take local blobs only');
}

function isPlain(entry: CraftEntry): boolean {
  return (entry.type ?? '0') === '0' && entry.headerSize === undefined && entry.pax === undefined && !entry.linkname;
}

/** Serialises the entries, then the end-of-archive marker; plain entries get exactly the exporter's headers. */
export function layoutStream(entries: readonly CraftEntry[]): StreamLayout {
  const pieces: Buffer[] = [];
  const placed: PlacedEntry[] = [];
  let offset = 0;
  const push = (b: Buffer) => {
    pieces.push(b);
    offset += b.length;
  };
  for (const entry of entries) {
    const type = entry.type ?? '0';
    if (isPlain(entry)) {
      push(fileHeader(entry.name, entry.data.length));
    } else {
      if (entry.pax) push(paxHeader(entry.name, entry.pax));
      push(ustarHeader(entry.name, entry.headerSize ?? entry.data.length, type, entry.linkname ?? ''));
    }
    const declared = entry.pax?.size !== undefined ? Number(entry.pax.size) : Number(entry.headerSize ?? entry.data.length);
    placed.push({ name: entry.name, type, size: declared, dataOffset: offset });
    push(entry.data);
    push(Buffer.alloc(paddingFor(entry.data.length)));
  }
  push(END_OF_ARCHIVE);
  return { entries: placed, stream: Buffer.concat(pieces) };
}

function cut(stream: Buffer, volumeSize: number): Buffer[] {
  const volumes: Buffer[] = [];
  for (let at = 0; at < stream.length; at += volumeSize) volumes.push(stream.subarray(at, at + volumeSize));
  return volumes;
}

/** A well-formed exporter checkpoint signed by `signer`, as a real export carries one. */
function carriedLedger(signer: SiteKey): BundleIndex['ledger'] {
  const text = formatCheckpoint({ ledgerId: randomUUID(), count: 1, head: '0'.repeat(64), time: new Date().toISOString() });
  return { checkpoint: text, checkpointSignature: signDer(signer.privateKey, Buffer.from(text)).toString('base64'), lines: [] };
}

/**
 * Writes a signed bundle folder from clean parts with the test's edits applied. BUNDLE.json's
 * blobs are recomputed from the written entries (offset and declared size of the first entry of
 * each blob's name; a blob with no entry is left out), so it tells the truth unless editIndex lies.
 */
export async function craftBundle(opts: CraftOptions): Promise<CraftedBundle> {
  const name = opts.name ?? path.basename(opts.dir);
  const inputs = opts.inputs.map((input) => ({ ...input, blobs: [...input.blobs], facts: { ...input.facts } }));
  opts.editInputs?.(inputs);
  const plan = planBundle(inputs);
  const entries: CraftEntry[] = [];
  for (const entry of plan.entries) entries.push({ name: entry.name, data: await bytesOf(entry.source) });
  opts.editEntries?.(entries, plan);
  const layout = layoutStream(entries);

  const volumes = cut(layout.stream, opts.volumeSize);
  const edited = opts.editVolumes?.(volumes) ?? volumes;
  const digits = Math.max(3, String(edited.length).length);
  const files = edited.map((bytes, i) => ({ file: `${name}.tar.${String(i + 1).padStart(digits, '0')}`, bytes }));
  const index: BundleIndex = {
    formatVersion: 1,
    name,
    createdAt: new Date().toISOString(),
    createdBy: { operator: 'Hostile Test', host: 'crafted', ferryVersion: 'test' },
    signer: opts.signer.fingerprint,
    previousBundle: null,
    volumeSize: opts.volumeSize,
    volumes: files.map((f) => ({ file: f.file, size: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex') })),
    tar: { size: files.reduce((sum, f) => sum + f.bytes.length, 0) },
    artifacts: plan.artifacts,
    blobs: plan.blobs.flatMap((blob) => {
      const entry = layout.entries.find((e) => e.name === blobEntryName(blob.digest));
      return entry ? [{ digest: blob.digest, size: entry.size, offset: entry.dataOffset }] : [];
    }),
    ledger: carriedLedger(opts.signer),
  };
  opts.editIndex?.(index, layout);

  await fs.mkdir(opts.dir, { recursive: true });
  for (const f of files) await fs.writeFile(path.join(opts.dir, f.file), f.bytes);
  const { bundleDigest } = await writeBundleMetadata(opts.dir, index, opts.signer);
  return { dir: opts.dir, name, index, plan, layout, bundleDigest };
}

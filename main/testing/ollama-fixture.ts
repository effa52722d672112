/** Synthetic Ollama stores on disk, for tests and benchmarks: real files laid out as Ollama writes them. */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { GGMLFileQuantizationType } from '@huggingface/gguf';
import type { ServedBlob } from './blob-store.js';
import { manifestPathParts, ollamaFullRef, parseOllamaName } from '../ollama/names.js';
import type { OllamaModel } from '../ollama/store.js';
import { ggufTensorDataSize, makeGgufHeader, type GgufTensorSpec } from './gguf-fixture.js';

export interface FixtureModel {
  /** e.g. 'granite4.1:8b' or 'acme/tiny:1' */
  name: string;
  /** Total size of the GGUF model layer: header then deterministic pseudo-random filler. Default 64 KiB. */
  modelBytes?: number;
  /** Header then a hole (truncate), for stores too big to fill, e.g. >8 GiB. */
  sparse?: boolean;
  license?: string;
  template?: string;
  system?: string;
  params?: object;
  /** Config model_family and GGUF architecture; default 'llama'. */
  family?: string;
  /** Config file_type, e.g. 'Q4_K_M'. When absent the config has no file_type and only the GGUF (Q4_K_M) says it. */
  quantization?: string;
  /** 'pretty' = indented, other key order, trailing newline: catches anything that re-serialises. */
  manifestStyle?: 'ollama' | 'pretty';
  /** Reuse the exact model-layer blob of another fixture model in the same call. */
  sharedWith?: string;
  /** A cloud stub, as `ollama pull NAME:cloud` writes it: remote_host and remote_model in the config, no model layer. */
  cloud?: { host: string; model: string };
}

export interface FixtureStoreModel {
  name: string;
  ref: string;
  manifestPath: string;
  manifestDigest: string;
  /** Config digest then layer digests, as in the manifest. */
  blobs: string[];
}

interface Layer {
  mediaType: string;
  digest: string;
  size: number;
}

const CHUNK = 1 << 20;
const DEFAULT_MODEL_BYTES = 64 * 1024;

/** Small enough that parameter counts stay believable for a 64 KiB file (the parser checks). */
export const FIXTURE_TENSORS: GgufTensorSpec[] = [
  { name: 'token_embd.weight', dims: [64, 96], type: 0 },
  { name: 'blk.0.attn_q.weight', dims: [64, 64], type: 1 },
  { name: 'output_norm.weight', dims: [64], type: 0 },
];
export const FIXTURE_PARAMETER_COUNT = FIXTURE_TENSORS.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
export const FIXTURE_CONTEXT_LENGTH = 4096;

function digestOf(hash: Hash): string {
  return `sha256:${hash.digest('hex')}`;
}

async function writeBlob(storeDir: string, bytes: Uint8Array, mediaType: string): Promise<Layer> {
  const hex = createHash('sha256').update(bytes).digest('hex');
  await fs.writeFile(path.join(storeDir, 'blobs', `sha256-${hex}`), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

/** A 1 MiB pseudo-random block from the seed (sha256 in counter mode). */
function fillerBlock(seed: string): Buffer {
  const block = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK / 32; i++)
    createHash('sha256')
      .update(seed)
      .update(String(i))
      .digest()
      .copy(block, i * 32);
  return block;
}

/** Writes the model layer in 1 MiB chunks (constant memory), hashing as it goes. */
async function writeModelLayer(storeDir: string, model: FixtureModel): Promise<Layer> {
  const architecture = model.family ?? 'llama';
  const header = makeGgufHeader({
    architecture,
    name: model.name,
    fileType: GGMLFileQuantizationType[(model.quantization ?? 'Q4_K_M') as keyof typeof GGMLFileQuantizationType] ?? 15,
    contextLength: FIXTURE_CONTEXT_LENGTH,
    tensors: FIXTURE_TENSORS,
  });
  const total = model.modelBytes ?? DEFAULT_MODEL_BYTES;
  if (total < header.length + ggufTensorDataSize(FIXTURE_TENSORS)) {
    throw new Error(`fixture ${model.name}: modelBytes ${total} is smaller than a GGUF with its tensors`);
  }
  const temp = path.join(storeDir, 'blobs', `fixture-${process.pid}-${Math.random().toString(16).slice(2)}-partial`);
  const hash = createHash('sha256').update(header);
  const handle = await fs.open(temp, 'w');
  try {
    await handle.write(header);
    const rest = total - header.length;
    if (model.sparse) {
      await handle.truncate(total);
      const zeros = Buffer.alloc(CHUNK);
      for (let left = rest; left > 0; left -= CHUNK) hash.update(left >= CHUNK ? zeros : zeros.subarray(0, left));
    } else {
      const block = fillerBlock(model.name);
      const chunk = Buffer.alloc(CHUNK);
      for (let i = 0, left = rest; left > 0; i++, left -= CHUNK) {
        // Vary each chunk's first 32 bytes so no two chunks are identical.
        block.copy(chunk);
        createHash('sha256').update(model.name).update(`chunk ${i}`).digest().copy(chunk, 0);
        const piece = left >= CHUNK ? chunk : chunk.subarray(0, left);
        hash.update(piece);
        await handle.write(piece);
      }
    }
  } finally {
    await handle.close();
  }
  const digest = digestOf(hash);
  await fs.rename(temp, path.join(storeDir, 'blobs', `sha256-${digest.slice('sha256:'.length)}`));
  return { mediaType: 'application/vnd.ollama.image.model', digest, size: total };
}

function configJson(model: FixtureModel, layers: Layer[]): string {
  const family = model.family ?? 'llama';
  // Field order of Ollama's ConfigV2.
  const config: Record<string, unknown> = {
    model_format: 'gguf',
    model_family: family,
    model_families: [family],
    model_type: '8.0B',
    ...(model.quantization ? { file_type: model.quantization } : {}),
    ...(model.cloud ? { remote_host: model.cloud.host, remote_model: model.cloud.model } : {}),
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
  };
  return JSON.stringify(config);
}

function manifestText(style: 'ollama' | 'pretty', config: Layer, layers: Layer[]): string {
  if (style === 'pretty') {
    const flip = (l: Layer) => ({ size: l.size, digest: l.digest, mediaType: l.mediaType });
    return `${JSON.stringify({ layers: layers.map(flip), config: flip(config), mediaType: 'application/vnd.docker.distribution.manifest.v2+json', schemaVersion: 2 }, null, 2)}\n`;
  }
  // Compact, in the field order of Go's encoding of Ollama's Manifest and Layer structs.
  return JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config, layers });
}

/** Builds an Ollama store in `dir` with the given models; returns what a test needs to check it. */
export async function makeOllamaStore(dir: string, models: FixtureModel[]): Promise<{ dir: string; models: FixtureStoreModel[] }> {
  await fs.mkdir(path.join(dir, 'blobs'), { recursive: true });
  await fs.mkdir(path.join(dir, 'manifests'), { recursive: true });

  const modelLayers = new Map<string, Layer>();
  const ordered = [...models.filter((m) => !m.sharedWith), ...models.filter((m) => m.sharedWith)];
  for (const model of ordered) {
    if (model.cloud) continue;
    if (model.sharedWith) {
      const shared = modelLayers.get(model.sharedWith);
      if (!shared) throw new Error(`fixture ${model.name}: sharedWith ${model.sharedWith} names no fixture model without sharedWith`);
      modelLayers.set(model.name, shared);
    } else {
      modelLayers.set(model.name, await writeModelLayer(dir, model));
    }
  }

  const out: FixtureStoreModel[] = [];
  for (const model of models) {
    const name = parseOllamaName(model.name);
    const layers: Layer[] = model.cloud ? [] : [modelLayers.get(model.name)!];
    const text = (s: string, kind: string) => writeBlob(dir, Buffer.from(s, 'utf8'), `application/vnd.ollama.image.${kind}`);
    if (model.license !== undefined) layers.push(await text(model.license, 'license'));
    if (model.template !== undefined) layers.push(await text(model.template, 'template'));
    if (model.system !== undefined) layers.push(await text(model.system, 'system'));
    if (model.params !== undefined) layers.push(await text(JSON.stringify(model.params), 'params'));
    const config = await writeBlob(dir, Buffer.from(configJson(model, layers), 'utf8'), 'application/vnd.docker.container.image.v1+json');

    const manifestBytes = Buffer.from(manifestText(model.manifestStyle ?? 'ollama', config, layers), 'utf8');
    const manifestPath = path.join(dir, 'manifests', ...manifestPathParts(name));
    await fs.mkdir(path.dirname(manifestPath), { recursive: true });
    await fs.writeFile(manifestPath, manifestBytes);
    out.push({
      name: model.name,
      ref: ollamaFullRef(name),
      manifestPath,
      manifestDigest: `sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`,
      blobs: [config.digest, ...layers.map((l) => l.digest)],
    });
  }
  return { dir, models: out };
}

/** Flips one byte in the middle of a blob, leaving its size alone. */
export async function corruptBlob(storeDir: string, digest: string): Promise<void> {
  const file = path.join(storeDir, 'blobs', digest.replace(/^sha256:/, 'sha256-'));
  const handle = await fs.open(file, 'r+');
  try {
    const { size } = await handle.stat();
    const at = Math.floor(size / 2);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
}

export type FixtureBreakage = 'empty-manifest' | 'missing-blob' | 'malformed-json';

/** Breaks a fixture model the ways real stores break: a manifest cut to nothing or mid-JSON, a blob deleted. */
export async function breakModel(storeDir: string, model: FixtureStoreModel, how: FixtureBreakage): Promise<void> {
  if (how === 'empty-manifest') await fs.writeFile(model.manifestPath, '');
  else if (how === 'malformed-json') await fs.writeFile(model.manifestPath, '{"schemaVersion":2,"config":');
  else await fs.rm(path.join(storeDir, 'blobs', model.blobs[model.blobs.length - 1]!.replace(/^sha256:/, 'sha256-')));
}

/** A store model's blobs as installModel takes them, read from the store's files. */
export function installBlobsOf(model: OllamaModel): ServedBlob[] {
  return [model.config, ...model.layers].map((b) => ({ digest: b.digest, size: b.size, open: async () => createReadStream(b.path) }));
}

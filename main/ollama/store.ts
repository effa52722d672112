import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { FerryError } from '../util/errors.js';
import { readGgufDetails, type GgufDetails } from './gguf-details.js';
import { isValidNamePart, manifestPathParts, ollamaDisplayName, ollamaFullRef, parseOllamaName, type OllamaName } from './names.js';

export const MEDIA_TYPE_MODEL = 'application/vnd.ollama.image.model';
export const MEDIA_TYPE_LICENSE = 'application/vnd.ollama.image.license';

export interface OllamaBlob {
  digest: string;
  size: number;
  mediaType: string;
  path: string;
}

export interface OllamaModelDetails {
  format?: string;
  family?: string;
  families?: string[];
  modelType?: string;
  parameters?: string;
  parameterCount?: number;
  quantization?: string;
  architecture?: string;
  contextLength?: number;
}

export interface OllamaModel {
  name: OllamaName;
  displayName: string;
  /** host/namespace/model:tag */
  ref: string;
  manifestPath: string;
  /** The manifest file exactly as stored; never re-serialised. */
  manifestBytes: Buffer;
  /** sha256:<hex> of the manifest file bytes. */
  manifestDigest: string;
  /** What `ollama list` shows as ID: the first 12 hex of the manifest digest. */
  modelId: string;
  /** config + layers, as `ollama list` counts it. */
  size: number;
  config: OllamaBlob;
  layers: OllamaBlob[];
  details: OllamaModelDetails;
  licensePresent: boolean;
}

/** Where Ollama keeps its models on this machine, the way Ollama itself decides. */
export function defaultOllamaStore(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OLLAMA_MODELS) return path.resolve(env.OLLAMA_MODELS);
  const userStore = path.join(os.homedir(), '.ollama', 'models');
  if (existsSync(userStore)) return userStore;
  const serviceStore = '/usr/share/ollama/.ollama/models';
  if (existsSync(serviceStore)) return serviceStore;
  return userStore;
}

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** `<store>/blobs/sha256-<hex>` for a `sha256:<hex>` digest; anything else is INVALID_INPUT. */
export function blobPath(storeDir: string, digest: string): string {
  const match = DIGEST.exec(digest);
  if (!match) throw new FerryError('INVALID_INPUT', `${JSON.stringify(digest)} is not a sha256 digest (sha256:<64 lowercase hex>).`, { digest });
  return path.join(storeDir, 'blobs', `sha256-${match[1]}`);
}

const ManifestLayer = z.object({
  mediaType: z.string(),
  digest: z.string().regex(DIGEST),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
const Manifest = z.object({
  schemaVersion: z.number().optional(),
  mediaType: z.string().optional(),
  config: ManifestLayer,
  layers: z.array(ManifestLayer),
});
export type OllamaManifest = z.infer<typeof Manifest>;

/** Parses manifest bytes; `what` names the model and file in the INVALID_INPUT message. */
export function parseManifest(bytes: Uint8Array, what: string, details: Record<string, unknown> = {}): OllamaManifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw new FerryError('INVALID_INPUT', `The manifest of ${what} is not valid JSON (${(err as Error).message}).`, details);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'unknown shape';
    throw new FerryError('INVALID_INPUT', `The manifest of ${what} is not an Ollama manifest with a config and layers (${where}).`, details);
  }
  return parsed.data;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function storeProblem(storeDir: string, err: NodeJS.ErrnoException): FerryError {
  const hint = 'Choose the folder where Ollama keeps its models (it holds blobs/ and manifests/; on the command line: --ollama-store DIR or OLLAMA_MODELS).';
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
    return new FerryError('NOT_FOUND', `No Ollama store at ${storeDir}. ${hint}`, { store: storeDir });
  }
  return new FerryError('IO', `Cannot read the Ollama store at ${storeDir} (${err.code ?? err.message}). ${hint}`, { store: storeDir, errno: err.code });
}

async function assertStoreReadable(storeDir: string): Promise<void> {
  try {
    const stat = await fs.stat(storeDir);
    if (!stat.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await fs.access(storeDir, fs.constants.R_OK | fs.constants.X_OK);
  } catch (err) {
    throw storeProblem(storeDir, err as NodeJS.ErrnoException);
  }
}

function isIgnoredEntry(name: string): boolean {
  return name.startsWith('.') || name.endsWith('-partial') || name.includes('-partial-');
}

/** Entries of `dir` that are (or link to) directories, or files when `wantFiles`. */
async function listEntries(dir: string, wantFiles: boolean): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    if (isIgnoredEntry(entry.name)) continue;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await fs.stat(path.join(dir, entry.name)).catch(() => undefined);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (wantFiles ? isFile : isDir) out.push(entry.name);
  }
  return out;
}

/** Every manifests/<host>/<namespace>/<model>/<tag> file whose parts are valid Ollama name parts. */
async function findManifestNames(storeDir: string): Promise<OllamaName[]> {
  const root = path.join(storeDir, 'manifests');
  let hosts: string[];
  try {
    hosts = await listEntries(root, false);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []; // a store nothing was pulled into yet
    throw storeProblem(storeDir, err as NodeJS.ErrnoException);
  }
  const names: OllamaName[] = [];
  for (const host of hosts.filter((h) => isValidNamePart('host', h))) {
    for (const namespace of (await listEntries(path.join(root, host), false)).filter((n) => isValidNamePart('namespace', n))) {
      for (const model of (await listEntries(path.join(root, host, namespace), false)).filter((m) => isValidNamePart('model', m))) {
        const tags = await listEntries(path.join(root, host, namespace, model), true);
        for (const tag of tags.filter((t) => isValidNamePart('tag', t))) names.push({ host, namespace, model, tag });
      }
    }
  }
  return names;
}

function manifestFile(storeDir: string, name: OllamaName): string {
  return path.join(storeDir, 'manifests', ...manifestPathParts(name));
}

/** Lists every model in the store, sorted by the name `ollama list` shows. */
export async function listModels(storeDir: string): Promise<OllamaModel[]> {
  await assertStoreReadable(storeDir);
  const names = await findManifestNames(storeDir);
  const ggufCache = new Map<string, Promise<GgufDetails>>();
  const models: OllamaModel[] = [];
  for (const name of names) models.push(await loadModel(storeDir, name, ggufCache));
  return models.sort((a, b) => (a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0));
}

/** Reads one model by name (as typed by a user, or already parsed); NOT_FOUND when it is absent. */
export async function readModel(storeDir: string, name: string | OllamaName): Promise<OllamaModel> {
  const parsed = typeof name === 'string' ? parseOllamaName(name) : name;
  await assertStoreReadable(storeDir);
  const exact = await fs.stat(manifestFile(storeDir, parsed)).catch(() => undefined);
  if (exact?.isFile()) return loadModel(storeDir, parsed, new Map());
  // Ollama matches names case-insensitively; the folder may differ in case from what was typed.
  const wanted = ollamaFullRef(parsed).toLowerCase();
  const match = (await findManifestNames(storeDir)).find((n) => ollamaFullRef(n).toLowerCase() === wanted);
  if (match) return loadModel(storeDir, match, new Map());
  const shown = typeof name === 'string' ? name : ollamaDisplayName(parsed);
  throw new FerryError('NOT_FOUND', `Model ${shown} is not in the Ollama store at ${storeDir}. Run \`ferry ollama ls\` to see the models there.`, {
    model: ollamaFullRef(parsed),
    store: storeDir,
  });
}

async function statBlob(storeDir: string, layer: OllamaManifest['config'], displayName: string, ref: string): Promise<OllamaBlob> {
  const file = blobPath(storeDir, layer.digest);
  let size: number;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
    size = stat.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new FerryError('INVALID_INPUT', `Model ${displayName} is incomplete: blob ${layer.digest} is missing from ${path.dirname(file)}. Pull the model again with Ollama.`, {
      model: ref,
      blob: layer.digest,
      path: file,
    });
  }
  if (size !== layer.size) {
    throw new FerryError('INTEGRITY', `Model ${displayName}: blob ${layer.digest} is ${size} bytes on disk but its manifest says ${layer.size}.`, {
      model: ref,
      blob: layer.digest,
      path: file,
      expected: layer.size,
      actual: size,
    });
  }
  return { digest: layer.digest, size: layer.size, mediaType: layer.mediaType, path: file };
}

async function loadModel(storeDir: string, name: OllamaName, ggufCache: Map<string, Promise<GgufDetails>>): Promise<OllamaModel> {
  const displayName = ollamaDisplayName(name);
  const ref = ollamaFullRef(name);
  const manifestPath = manifestFile(storeDir, name);
  const manifestBytes = await fs.readFile(manifestPath);
  const manifest = parseManifest(manifestBytes, `${displayName} (${manifestPath})`, { model: ref, path: manifestPath });
  const hex = sha256Hex(manifestBytes);

  const config = await statBlob(storeDir, manifest.config, displayName, ref);
  const layers: OllamaBlob[] = [];
  for (const layer of manifest.layers) layers.push(await statBlob(storeDir, layer, displayName, ref));

  const modelLayer = layers.find((l) => l.mediaType === MEDIA_TYPE_MODEL);
  let gguf: GgufDetails = {};
  if (modelLayer) {
    let pending = ggufCache.get(modelLayer.digest);
    if (!pending) {
      pending = readGgufDetails(modelLayer.path);
      ggufCache.set(modelLayer.digest, pending);
    }
    gguf = await pending;
  }

  return {
    name,
    displayName,
    ref,
    manifestPath,
    manifestBytes,
    manifestDigest: `sha256:${hex}`,
    modelId: hex.slice(0, 12),
    size: config.size + layers.reduce((sum, l) => sum + l.size, 0),
    config,
    layers,
    details: mergeDetails(await readConfigJson(config.path), gguf),
    licensePresent: layers.some((l) => l.mediaType === MEDIA_TYPE_LICENSE),
  };
}

// Ollama's config blob is a few hundred bytes; anything huge is not one and is not worth reading.
const MAX_CONFIG_BYTES = 1 << 20;

async function readConfigJson(file: string): Promise<Record<string, unknown>> {
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_CONFIG_BYTES) return {};
    const json: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Config blob wins where it says something; the GGUF header fills the gaps. */
function mergeDetails(config: Record<string, unknown>, gguf: GgufDetails): OllamaModelDetails {
  const families = Array.isArray(config.model_families) && config.model_families.every((f) => typeof f === 'string') ? (config.model_families as string[]) : undefined;
  const modelType = nonEmptyString(config.model_type);
  const details: OllamaModelDetails = {
    format: nonEmptyString(config.model_format) ?? (gguf.architecture ? 'gguf' : undefined),
    family: nonEmptyString(config.model_family) ?? gguf.architecture,
    families: families && families.length > 0 ? families : gguf.architecture ? [gguf.architecture] : undefined,
    modelType,
    parameters: modelType ?? gguf.sizeLabel ?? (gguf.parameterCount !== undefined ? humanCount(gguf.parameterCount) : undefined),
    parameterCount: gguf.parameterCount,
    quantization: nonEmptyString(config.file_type) ?? gguf.quantization,
    architecture: gguf.architecture,
    contextLength: gguf.contextLength,
  };
  for (const key of Object.keys(details) as (keyof OllamaModelDetails)[]) if (details[key] === undefined) delete details[key];
  return details;
}

/** 8030261248 → "8.0B", 135000000 → "135M": the style of Ollama's parameter_size. */
export function humanCount(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, suffix] of units) {
    if (n >= scale) {
      const v = n / scale;
      return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}${suffix}`;
    }
  }
  return String(n);
}

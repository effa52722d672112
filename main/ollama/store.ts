import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ErrorCode } from '../../shared/errors.js';
import { FerryError } from '../util/errors.js';
import { mergeDetails, readConfigJson, remoteOf, type OllamaModelDetails, type OllamaRemote } from './details.js';
import { readGgufDetails, type GgufDetails } from './gguf-details.js';
import { DIGEST, readManifestBytes, sha256Hex, type OllamaManifest } from './manifest.js';
import { isValidNamePart, manifestPathParts, ollamaDisplayName, ollamaFullRef, parseOllamaName, sameOllamaName, type OllamaName } from './names.js';

export const MEDIA_TYPE_MODEL = 'application/vnd.ollama.image.model';
export const MEDIA_TYPE_LICENSE = 'application/vnd.ollama.image.license';

export interface OllamaBlob {
  digest: string;
  size: number;
  mediaType: string;
  path: string;
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
  /** Set for a cloud model: a stub that runs elsewhere and has no weights here. */
  remote?: OllamaRemote;
}

/** A model whose manifest or blobs are broken: Ollama skips it when listing; Ferry lists it with its problem. */
export interface BrokenOllamaModel {
  name: OllamaName;
  displayName: string;
  ref: string;
  manifestPath: string;
  /** What is wrong, as a phrase: "its manifest is empty", "blob sha256:… is missing". */
  problem: string;
}

export interface OllamaListing {
  /** Every model that reads whole, cloud models included; sorted by the name `ollama list` shows. */
  models: OllamaModel[];
  broken: BrokenOllamaModel[];
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

/** `<store>/blobs/sha256-<hex>` for a `sha256:<hex>` digest; anything else is INVALID_INPUT. */
export function blobPath(storeDir: string, digest: string): string {
  const match = DIGEST.exec(digest);
  if (!match) throw new FerryError('INVALID_INPUT', `${JSON.stringify(digest)} is not a sha256 digest (sha256:<64 lowercase hex>).`, { digest });
  return path.join(storeDir, 'blobs', `sha256-${match[1]}`);
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

/** Entries of `dir` that are (or link to) directories, or files when `wantFiles`, and are valid `kind` name parts. */
async function listNameParts(dir: string, kind: 'host' | 'namespace' | 'model' | 'tag'): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    // Ollama's own name rules decide (a hidden temp file or "." never passes); "-partial" is a blob rule, not a name rule.
    if (!isValidNamePart(kind, entry.name)) continue;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await fs.stat(path.join(dir, entry.name)).catch(() => undefined);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (kind === 'tag' ? isFile : isDir) out.push(entry.name);
  }
  return out;
}

/** Every manifests/<host>/<namespace>/<model>/<tag> file whose parts are valid Ollama name parts. */
async function findManifestNames(storeDir: string): Promise<OllamaName[]> {
  const root = path.join(storeDir, 'manifests');
  let hosts: string[];
  try {
    hosts = await listNameParts(root, 'host');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []; // a store nothing was pulled into yet
    throw storeProblem(storeDir, err as NodeJS.ErrnoException);
  }
  const names: OllamaName[] = [];
  for (const host of hosts) {
    for (const namespace of await listNameParts(path.join(root, host), 'namespace')) {
      for (const model of await listNameParts(path.join(root, host, namespace), 'model')) {
        for (const tag of await listNameParts(path.join(root, host, namespace, model), 'tag')) names.push({ host, namespace, model, tag });
      }
    }
  }
  return names;
}

function manifestFile(storeDir: string, name: OllamaName): string {
  return path.join(storeDir, 'manifests', ...manifestPathParts(name));
}

function byDisplayName(a: { displayName: string }, b: { displayName: string }): number {
  return a.displayName < b.displayName ? -1 : a.displayName > b.displayName ? 1 : 0;
}

/** Lists every model in the store: one broken model does not hide the others, it is listed with its problem. */
export async function listModels(storeDir: string): Promise<OllamaListing> {
  await assertStoreReadable(storeDir);
  const ggufCache = new Map<string, Promise<GgufDetails>>();
  const listing: OllamaListing = { models: [], broken: [] };
  for (const name of await findManifestNames(storeDir)) {
    try {
      listing.models.push(await loadModel(storeDir, name, ggufCache));
    } catch (err) {
      const problem = err instanceof FerryError ? err.details.problem : undefined;
      if (typeof problem !== 'string') throw err;
      listing.broken.push({ name, displayName: ollamaDisplayName(name), ref: ollamaFullRef(name), manifestPath: manifestFile(storeDir, name), problem });
    }
  }
  listing.models.sort(byDisplayName);
  listing.broken.sort(byDisplayName);
  return listing;
}

/**
 * Reads one model by name (as typed by a user, or already parsed), matched ignoring case as Ollama
 * does; NOT_FOUND when it is absent, and an error naming the model and its problem when it is broken.
 */
export async function readModel(storeDir: string, name: string | OllamaName): Promise<OllamaModel> {
  const parsed = typeof name === 'string' ? parseOllamaName(name) : name;
  await assertStoreReadable(storeDir);
  const candidates = (await findManifestNames(storeDir)).filter((n) => sameOllamaName(n, parsed));
  const match = candidates.find((n) => ollamaFullRef(n) === ollamaFullRef(parsed)) ?? candidates[0];
  if (match) return loadModel(storeDir, match, new Map());
  const shown = typeof name === 'string' ? name : ollamaDisplayName(parsed);
  throw new FerryError('NOT_FOUND', `Model ${shown} is not in the Ollama store at ${storeDir}. Run \`ferry ollama ls\` to see the models there.`, {
    model: ollamaFullRef(parsed),
    store: storeDir,
  });
}

/** The error for a model that cannot be read whole; details.problem is what the listing shows. */
function brokenModel(code: ErrorCode, displayName: string, ref: string, problem: string, file: string, details: Record<string, unknown> = {}): FerryError {
  return new FerryError(
    code,
    `Model ${displayName} is broken: ${problem} (${file}). Pull it again with Ollama (ollama pull ${displayName}), or remove it (ollama rm ${displayName}).`,
    { model: ref, problem, path: file, ...details },
  );
}

async function statBlob(layer: OllamaManifest['config'], file: string, displayName: string, ref: string): Promise<OllamaBlob> {
  const stat = await fs.stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw brokenModel('IO', displayName, ref, `blob ${layer.digest} cannot be read (${err.code ?? err.message})`, file, { blob: layer.digest });
  });
  if (!stat?.isFile()) throw brokenModel('INVALID_INPUT', displayName, ref, `blob ${layer.digest} is missing`, file, { blob: layer.digest });
  if (stat.size !== layer.size) {
    throw brokenModel('INTEGRITY', displayName, ref, `blob ${layer.digest} is ${stat.size} bytes on disk but its manifest says ${layer.size}`, file, {
      blob: layer.digest,
      expected: layer.size,
      actual: stat.size,
    });
  }
  return { digest: layer.digest, size: layer.size, mediaType: layer.mediaType, path: file };
}

async function loadModel(storeDir: string, name: OllamaName, ggufCache: Map<string, Promise<GgufDetails>>): Promise<OllamaModel> {
  const displayName = ollamaDisplayName(name);
  const ref = ollamaFullRef(name);
  const manifestPath = manifestFile(storeDir, name);
  const manifestBytes = await fs.readFile(manifestPath).catch((err: NodeJS.ErrnoException) => {
    throw brokenModel('IO', displayName, ref, `its manifest cannot be read (${err.code ?? err.message})`, manifestPath);
  });
  const read = readManifestBytes(manifestBytes);
  if ('problem' in read) throw brokenModel('INVALID_INPUT', displayName, ref, read.problem, manifestPath);
  const { manifest } = read;
  const hex = sha256Hex(manifestBytes);

  const statOf = (layer: OllamaManifest['config']) => statBlob(layer, blobPath(storeDir, layer.digest), displayName, ref);
  const config = await statOf(manifest.config);
  const layers: OllamaBlob[] = [];
  for (const layer of manifest.layers) layers.push(await statOf(layer));

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

  const configJson = await readConfigJson(config.path);
  const remote = remoteOf(configJson);
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
    details: mergeDetails(configJson, gguf),
    licensePresent: layers.some((l) => l.mediaType === MEDIA_TYPE_LICENSE),
    ...(remote ? { remote } : {}),
  };
}

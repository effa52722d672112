import { createHash } from 'node:crypto';
import type { ArtifactInput, BlobInput } from '../bundle/plan.js';
import { distinctLicences, labelledLicence } from '../content/licences.js';
import { FerryError } from '../util/errors.js';
import { READ_LIMITS, readBounded } from './bounded-read.js';
import { headerValue, pullScope, type RegistryClient } from './client.js';
import {
  formatPlatform,
  HELM_CONFIG,
  MANIFEST_ACCEPT,
  parseManifest,
  platformMatches,
  type Descriptor,
  type ParsedManifest,
  type Platform,
} from './manifest.js';
import { formatReference, type Reference } from './reference.js';

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Config blobs this small are fetched while resolving, to show platform and chart facts. */
const SMALL_CONFIG = 1024 * 1024;
const IMAGE_CONFIGS = new Set(['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json']);

export interface FetchedManifest {
  bytes: Buffer;
  digest: string;
  parsed: ParsedManifest;
}

/** GETs a manifest by tag or digest, with every type in Accept, and checks it against its digest. */
export async function fetchManifest(client: RegistryClient, repository: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
  const where = `${client.registry}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
  const res = await client.request({
    method: 'GET',
    url: `/v2/${repository}/manifests/${reference}`,
    scopes: [pullScope(repository)],
    headers: { accept: MANIFEST_ACCEPT },
    ...(signal ? { signal } : {}),
  });
  if (res.status === 404) {
    await res.body.dump();
    throw new FerryError('NOT_FOUND', `${where} does not exist on the registry. Check the repository and tag.`, { reference: where });
  }
  if (res.status !== 200) await client.fail(res, `Fetching the manifest ${where}`, { reference: where });
  const bytes = await readBounded(res, READ_LIMITS.manifest, `The manifest ${where}`, { reference: where });
  const digest = sha256(bytes);
  const claimed = reference.startsWith('sha256:') ? reference : headerValue(res, 'docker-content-digest');
  if (claimed && claimed.startsWith('sha256:') && claimed !== digest) {
    throw new FerryError('INTEGRITY', `The manifest ${where} hashes to ${digest}, not ${claimed}. The registry or something between is altering it.`, {
      reference: where,
      actual: digest,
    });
  }
  return { bytes, digest, parsed: parseManifest(bytes, headerValue(res, 'content-type'), where) };
}

/** Fetches a small blob (a config) whole, checked against its digest. */
export async function fetchSmallBlob(client: RegistryClient, repository: string, d: Descriptor, signal?: AbortSignal): Promise<Buffer> {
  const res = await client.request({
    method: 'GET',
    url: `/v2/${repository}/blobs/${d.digest}`,
    scopes: [pullScope(repository)],
    followRedirects: true,
    ...(signal ? { signal } : {}),
  });
  if (res.status !== 200) await client.fail(res, `Fetching blob ${d.digest} of ${repository}`, { blob: d.digest });
  const bytes = await readBounded(res, d.size, `Blob ${d.digest} of ${repository}`, { blob: d.digest });
  if (bytes.length !== d.size || sha256(bytes) !== d.digest)
    throw new FerryError('INTEGRITY', `Blob ${d.digest} of ${repository} does not match its descriptor.`, { blob: d.digest });
  return bytes;
}

/** A blob's bytes straight from the registry, resuming with a Range request if the connection drops. */
export async function* streamBlob(client: RegistryClient, repository: string, digest: string, size: number, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const what = `Downloading blob ${digest} of ${repository}`;
  let offset = 0;
  let drops = 0;
  while (offset < size) {
    const res = await client.request({
      method: 'GET',
      url: `/v2/${repository}/blobs/${digest}`,
      scopes: [pullScope(repository)],
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      followRedirects: true,
      ...(signal ? { signal } : {}),
    });
    if (res.status !== 200 && res.status !== 206) await client.fail(res, what, { blob: digest });
    // A server that ignores Range sends the whole blob again: skip what we already have.
    let skip = offset > 0 && res.status === 200 ? offset : 0;
    try {
      for await (const raw of res.body as AsyncIterable<Buffer>) {
        const chunk = skip > 0 ? raw.subarray(Math.min(skip, raw.length)) : raw;
        skip -= raw.length - chunk.length;
        if (chunk.length === 0) continue;
        offset += chunk.length;
        if (offset > size)
          throw new FerryError('INTEGRITY', `Blob ${digest} of ${repository} is longer than its descriptor says (${size} bytes).`, { blob: digest });
        yield chunk;
      }
    } catch (err) {
      if (err instanceof FerryError) throw err;
      if (signal?.aborted) throw new FerryError('CANCELLED', 'Cancelled.');
      if (++drops > 5) throw new FerryError('REMOTE', `${what} failed at byte ${offset} of ${size}: ${(err as Error).message}.`, { blob: digest });
      continue;
    }
    if (offset < size && ++drops > 5) throw new FerryError('REMOTE', `${what} kept stopping early, at byte ${offset} of ${size}.`, { blob: digest });
  }
}

export interface ResolvedPlatform {
  platform: string;
  digest: string;
  size: number;
}

/** What the wizard shows for a reference before anything is written. */
export interface ResolvedArtifact {
  input: ArtifactInput;
  /** The reference as recorded in the bundle. */
  ref: string;
  /** Platforms of the original index (empty for a single manifest). */
  available: ResolvedPlatform[];
  /** The platforms carried. */
  platforms: string[];
}

export type PlatformChoice = 'all' | readonly Platform[];

function registrySource(client: RegistryClient, repository: string) {
  return { kind: 'registry', registry: client.registry, repository } as const;
}

/** Config and layers of one image manifest, as blob inputs, reading small configs for their facts. */
export async function manifestBlobs(
  client: RegistryClient,
  repository: string,
  manifest: Extract<ParsedManifest, { kind: 'manifest' }>,
  owner: string,
  signal?: AbortSignal,
) {
  const blobs: BlobInput[] = [];
  let config: Record<string, unknown> | null = null;
  const small = manifest.config.size <= SMALL_CONFIG && (IMAGE_CONFIGS.has(manifest.config.mediaType) || manifest.config.mediaType === HELM_CONFIG);
  if (small) {
    const bytes = await fetchSmallBlob(client, repository, manifest.config, signal);
    blobs.push({ digest: manifest.config.digest, size: manifest.config.size, source: { kind: 'bytes', bytes }, owner });
    try {
      config = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    } catch {
      config = null;
    }
  } else {
    blobs.push({ digest: manifest.config.digest, size: manifest.config.size, source: registrySource(client, repository), owner });
  }
  for (const layer of manifest.layers) blobs.push({ digest: layer.digest, size: layer.size, source: registrySource(client, repository), owner });
  return { blobs, config };
}

function annotationsOf(json: Record<string, unknown>): Record<string, unknown> | undefined {
  return typeof json.annotations === 'object' && json.annotations !== null ? (json.annotations as Record<string, unknown>) : undefined;
}

function configPlatform(config: Record<string, unknown> | null): Platform | undefined {
  if (!config || typeof config.os !== 'string' || typeof config.architecture !== 'string') return undefined;
  return { os: config.os, architecture: config.architecture, ...(typeof config.variant === 'string' ? { variant: config.variant } : {}) };
}

/**
 * Resolves an image or chart reference to what the bundle carries, byte-exact: all platforms keep
 * the original index, one platform keeps that platform's manifest, several make a new index.
 */
export async function resolveArtifact(
  client: RegistryClient,
  ref: Reference,
  kind: 'image' | 'helm-chart',
  choice: PlatformChoice,
  signal?: AbortSignal,
): Promise<ResolvedArtifact> {
  const recorded = formatReference(ref);
  const owner = `${kind === 'image' ? 'image' : 'chart'} ${recorded}`;
  const top = await fetchManifest(client, ref.repository, ref.digest ?? ref.tag!, signal);
  if (top.parsed.kind === 'manifest') {
    const { blobs, config } = await manifestBlobs(client, ref.repository, top.parsed, owner, signal);
    const platform = configPlatform(config);
    if (choice !== 'all' && kind === 'image' && platform && !choice.some((p) => platformMatches(p, platform))) {
      throw new FerryError(
        'NOT_FOUND',
        `${recorded} is a single-platform image for ${formatPlatform(platform)}, not ${choice.map(formatPlatform).join(', ')}.`,
        { reference: recorded },
      );
    }
    const chart = kind === 'helm-chart' && config ? { chart: { name: String(config.name ?? ''), version: String(config.version ?? '') } } : {};
    return {
      ref: recorded,
      available: [],
      platforms: platform ? [formatPlatform(platform)] : [],
      input: {
        kind,
        ref: recorded,
        mediaType: top.parsed.mediaType,
        manifest: top.bytes,
        blobs,
        licences: distinctLicences([labelledLicence(config, annotationsOf(top.parsed.json))]) ?? [],
        facts: { ...(platform ? { platforms: [formatPlatform(platform)] } : {}), ...chart },
      },
    };
  }

  const index = top.parsed;
  const available = index.manifests.map((m) => ({ platform: formatPlatform(m.platform), digest: m.digest, size: m.size }));
  const chosen = choice === 'all' ? index.manifests : index.manifests.filter((m) => choice.some((p) => platformMatches(p, m.platform)));
  if (choice !== 'all') {
    const missing = choice.filter((p) => !index.manifests.some((m) => platformMatches(p, m.platform)));
    if (missing.length > 0) {
      throw new FerryError(
        'NOT_FOUND',
        `${recorded} has no ${missing.map(formatPlatform).join(', ')} image. It has: ${available.map((a) => a.platform).join(', ')}.`,
        { reference: recorded },
      );
    }
  }
  const blobs: BlobInput[] = [];
  const children: FetchedManifest[] = [];
  const stated: (string | undefined)[] = [labelledLicence(null, annotationsOf(index.json))];
  for (const descriptor of chosen) {
    const child = await fetchManifest(client, ref.repository, descriptor.digest, signal);
    if (child.bytes.length !== descriptor.size)
      throw new FerryError('INTEGRITY', `${recorded}: manifest ${descriptor.digest} has ${child.bytes.length} bytes, the index says ${descriptor.size}.`, {
        blob: descriptor.digest,
      });
    children.push(child);
    if (child.parsed.kind === 'manifest') {
      const found = await manifestBlobs(client, ref.repository, child.parsed, owner, signal);
      blobs.push(...found.blobs);
      stated.push(labelledLicence(found.config, annotationsOf(child.parsed.json)));
    } else throw new FerryError('INVALID_INPUT', `${recorded}: nested indexes (${descriptor.digest}) are not supported.`, { blob: descriptor.digest });
  }
  const platforms = chosen.map((m) => formatPlatform(m.platform));
  const facts = { platforms, ...(choice === 'all' ? {} : { sourceDigest: top.digest }) };
  const licences = distinctLicences(stated) ?? [];
  if (choice !== 'all' && chosen.length === 1) {
    const only = children[0]!;
    return {
      ref: recorded,
      available,
      platforms,
      input: { kind, ref: recorded, mediaType: only.parsed.mediaType, manifest: only.bytes, blobs, facts, licences },
    };
  }
  for (const child of children) blobs.push({ digest: child.digest, size: child.bytes.length, source: { kind: 'bytes', bytes: child.bytes }, owner });
  const manifest = choice === 'all' ? top.bytes : Buffer.from(JSON.stringify({ ...index.json, manifests: chosen }, null, 2));
  return { ref: recorded, available, platforms, input: { kind, ref: recorded, mediaType: index.mediaType, manifest, blobs, facts, licences } };
}

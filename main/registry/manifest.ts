import type { Descriptor as ContentDescriptor } from '../content/store.js';
import { FerryError } from '../util/errors.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** Every manifest type Ferry carries; registries answer 404 for OCI types a client does not accept. */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST].join(', ');

/** Registries commonly refuse manifests over 4 MiB (distribution's default limit). */
export const REGISTRY_MANIFEST_LIMIT = 4 * 1024 * 1024;

export const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An OCI descriptor as a manifest writes it: a content descriptor whose media type is always given. */
export interface Descriptor extends ContentDescriptor {
  mediaType: string;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[]; json: Record<string, unknown> }
  | { kind: 'manifest'; mediaType: string; config: Descriptor; layers: Descriptor[]; json: Record<string, unknown> };

const DIGEST = /^sha256:[0-9a-f]{64}$/;

function descriptor(value: unknown, where: string): Descriptor {
  const d = value as Partial<Descriptor> | null;
  if (!d || typeof d !== 'object' || typeof d.digest !== 'string' || typeof d.size !== 'number' || typeof d.mediaType !== 'string') {
    throw new FerryError('INVALID_INPUT', `${where}: a descriptor lacks mediaType, digest or size.`);
  }
  if (!DIGEST.test(d.digest))
    throw new FerryError('INVALID_INPUT', `${where}: digest ${d.digest} is not sha256 (the only algorithm Ferry carries).`, { blob: d.digest });
  if (!Number.isSafeInteger(d.size) || d.size < 0)
    throw new FerryError('INVALID_INPUT', `${where}: blob ${d.digest} has an impossible size ${d.size}.`, { blob: d.digest });
  return d as Descriptor;
}

export function isIndexType(mediaType: string): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/** Reads a manifest or index; its media type comes from the bytes, else from the Content-Type it arrived with. */
export function parseManifest(bytes: Uint8Array, contentType: string | undefined, where: string): ParsedManifest {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new FerryError('INVALID_INPUT', `${where}: the manifest is not JSON.`);
  }
  if (json.schemaVersion !== 2)
    throw new FerryError('INVALID_INPUT', `${where}: schema version ${String(json.schemaVersion)} manifests are not supported (only schema 2 and OCI).`);
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : (contentType?.split(';')[0]?.trim() ?? '');
  if (Array.isArray(json.manifests) || isIndexType(mediaType)) {
    const manifests = (Array.isArray(json.manifests) ? json.manifests : []).map((m, i) => descriptor(m, `${where}, manifests[${i}]`));
    return { kind: 'index', mediaType: mediaType || OCI_INDEX, manifests, json };
  }
  const config = descriptor(json.config, `${where}, config`);
  const layers = (Array.isArray(json.layers) ? json.layers : []).map((l, i) => descriptor(l, `${where}, layers[${i}]`));
  return { kind: 'manifest', mediaType: mediaType || OCI_MANIFEST, config, layers, json };
}

export function formatPlatform(p: Platform | undefined): string {
  if (!p) return 'unknown';
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, ...rest] = text.trim().split('/');
  if (!os || !architecture || rest.length > 0)
    throw new FerryError('USAGE', `Platform "${text}" must be OS/ARCH or OS/ARCH/VARIANT, e.g. linux/amd64 or linux/arm64/v8.`, { field: 'platform' });
  return { os, architecture, ...(variant ? { variant } : {}) };
}

/** linux/arm64 matches linux/arm64/v8: a variant asked for must match, one not asked for is any. */
export function platformMatches(wanted: Platform, actual: Platform | undefined): boolean {
  if (!actual) return false;
  if (wanted.os !== actual.os || wanted.architecture !== actual.architecture) return false;
  return !wanted.variant || wanted.variant === actual.variant;
}

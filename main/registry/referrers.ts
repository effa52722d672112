import { FerryError } from '../util/errors.js';
import { READ_LIMITS, readBounded } from './bounded-read.js';
import { headerValue, pullScope, pushScope, type RegistryClient } from './client.js';
import { OCI_INDEX, type Descriptor } from './manifest.js';

/** A manifest that names a subject: where it points, and how it is listed among the subject's referrers. */
export interface ReferrerDescriptor extends Descriptor {
  artifactType?: string;
  annotations?: Record<string, string>;
}

/**
 * The referrers tag schema of the distribution spec, for registries without the referrers API: tag
 * `sha256-<hex>` holds an image index listing the subject's referrers.
 */
export function fallbackTag(subject: string): string {
  return subject.replace(':', '-');
}

/** The cosign tag of what is attached to `subject`: `sha256-<hex>.sig`, `.att`, `.sbom`. */
export function cosignTag(subject: string, suffix: '.sig' | '.att' | '.sbom'): string {
  return `${fallbackTag(subject)}${suffix}`;
}

function descriptorsOf(json: unknown): ReferrerDescriptor[] {
  const manifests = (json as { manifests?: unknown }).manifests;
  if (!Array.isArray(manifests)) return [];
  return manifests.filter(
    (m): m is ReferrerDescriptor =>
      typeof m === 'object' && m !== null && typeof (m as Descriptor).digest === 'string' && typeof (m as Descriptor).size === 'number',
  );
}

/** GET /v2/<name>/referrers/<digest>: the subject's referrers, or undefined when the registry does not answer the API (404). */
export async function referrersApi(
  client: RegistryClient,
  repository: string,
  subject: string,
  signal?: AbortSignal,
): Promise<ReferrerDescriptor[] | undefined> {
  const res = await client.request({
    method: 'GET',
    url: `/v2/${repository}/referrers/${subject}`,
    scopes: [pullScope(repository)],
    headers: { accept: OCI_INDEX },
    ...(signal ? { signal } : {}),
  });
  if (res.status === 404 || res.status === 405) {
    await res.body.dump();
    return undefined;
  }
  if (res.status !== 200) await client.fail(res, `Listing the referrers of ${repository}@${subject}`, { reference: `${repository}@${subject}` });
  if (!(headerValue(res, 'content-type') ?? '').startsWith(OCI_INDEX)) {
    await res.body.dump();
    return undefined;
  }
  const bytes = await readBounded(res, READ_LIMITS.manifest, `The referrers of ${repository}@${subject}`, { reference: subject });
  try {
    return descriptorsOf(JSON.parse(bytes.toString('utf8')));
  } catch {
    throw new FerryError('REMOTE', `${client.registry} answered the referrers of ${repository}@${subject} with something that is not an image index.`);
  }
}

/** Whether each registry answers the referrers API: asked once per client (one push), not once per manifest. */
const apiAnswered = new WeakMap<RegistryClient, boolean>();

/** Whether `client`'s registry answers the referrers API, learnt from one subject and remembered. */
export async function answersReferrersApi(client: RegistryClient, repository: string, subject: string): Promise<boolean> {
  const known = apiAnswered.get(client);
  if (known !== undefined) return known;
  const answered = (await referrersApi(client, repository, subject)) !== undefined;
  apiAnswered.set(client, answered);
  return answered;
}

/** The fallback tag's index (its parsed JSON), or undefined when the tag does not exist. */
async function fallbackIndex(client: RegistryClient, repository: string, subject: string, signal?: AbortSignal): Promise<Record<string, unknown> | undefined> {
  const res = await client.request({
    method: 'GET',
    url: `/v2/${repository}/manifests/${fallbackTag(subject)}`,
    scopes: [pullScope(repository)],
    headers: { accept: OCI_INDEX },
    ...(signal ? { signal } : {}),
  });
  if (res.status === 404) {
    await res.body.dump();
    return undefined;
  }
  if (res.status !== 200) await client.fail(res, `Reading the referrers tag ${fallbackTag(subject)} of ${repository}`, { reference: fallbackTag(subject) });
  const bytes = await readBounded(res, READ_LIMITS.manifest, `The referrers tag of ${repository}@${subject}`, { reference: subject });
  try {
    return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The subject's referrers: from the API where the registry answers it, else from the fallback tag. */
export async function listReferrers(client: RegistryClient, repository: string, subject: string, signal?: AbortSignal): Promise<ReferrerDescriptor[]> {
  const listed = await referrersApi(client, repository, subject, signal);
  if (listed) return listed;
  const index = await fallbackIndex(client, repository, subject, signal);
  return index ? descriptorsOf(index) : [];
}

/** A manifest naming a subject (an OCI 1.1 referrer): its subject, and how the subject's referrers list it. */
export function referrerOf(artifact: { mediaType: string; digest: string; manifest: Buffer }): { digest: string; descriptor: ReferrerDescriptor } | undefined {
  let json: { subject?: { digest?: unknown }; artifactType?: unknown; config?: { mediaType?: unknown }; annotations?: unknown };
  try {
    json = JSON.parse(artifact.manifest.toString('utf8')) as typeof json;
  } catch {
    return undefined;
  }
  // A subject that is not a sha256 digest names nothing a registry could list (and must not reach a URL).
  if (typeof json.subject?.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(json.subject.digest)) return undefined;
  const artifactType =
    typeof json.artifactType === 'string' ? json.artifactType : typeof json.config?.mediaType === 'string' ? json.config.mediaType : undefined;
  const annotations = typeof json.annotations === 'object' && json.annotations !== null ? (json.annotations as Record<string, string>) : undefined;
  return {
    digest: json.subject.digest,
    descriptor: {
      mediaType: artifact.mediaType,
      digest: artifact.digest,
      size: artifact.manifest.length,
      ...(artifactType ? { artifactType } : {}),
      ...(annotations ? { annotations } : {}),
    },
  };
}

/**
 * After pushing a manifest that names `subject`: on a registry without the referrers API, the
 * fallback tag's index is read, extended with the referrer (once) and pushed back.
 */
export async function recordReferrer(client: RegistryClient, repository: string, subject: string, referrer: ReferrerDescriptor): Promise<'api' | 'tag'> {
  if (await answersReferrersApi(client, repository, subject)) return 'api';
  const index = (await fallbackIndex(client, repository, subject)) ?? { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
  const listed = descriptorsOf(index);
  if (listed.some((d) => d.digest === referrer.digest)) return 'tag';
  const body = Buffer.from(JSON.stringify({ ...index, manifests: [...listed, referrer] }));
  const res = await client.request({
    method: 'PUT',
    url: `/v2/${repository}/manifests/${fallbackTag(subject)}`,
    scopes: [pushScope(repository)],
    headers: { 'content-type': OCI_INDEX },
    body,
  });
  if (res.status !== 201) await client.fail(res, `Updating the referrers tag ${fallbackTag(subject)} of ${repository}`, { reference: fallbackTag(subject) });
  await res.body.dump();
  return 'tag';
}

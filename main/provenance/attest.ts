import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { RegistryClient } from '../registry/client.js';
import { OCI_MANIFEST, type Descriptor } from '../registry/manifest.js';
import { pushBlob, type UploadSource } from '../registry/push-blob.js';
import { putManifest } from '../registry/push.js';
import { fetchManifest } from '../registry/pull.js';
import { answersReferrersApi, cosignTag } from '../registry/referrers.js';
import type { UploadSessions } from '../registry/upload-sessions.js';
import { FerryError } from '../util/errors.js';
import { DSSE_MEDIA_TYPE } from './dsse.js';
import { TRANSFER_PREDICATE_TYPE } from './statement.js';

/** cosign marks each attestation layer with an empty signature annotation (the signature is inside the envelope). */
const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
const EMPTY_JSON = Buffer.from('{}');

export interface StoredAttestation {
  /** sha256 of the DSSE envelope (the layer). */
  envelope: string;
  /** The manifest that holds it, and how: an OCI 1.1 referrer, or cosign's `sha256-<hex>.att` tag. */
  manifest: string;
  stored: 'referrer' | 'tag';
  /** registry/repository:tag or @digest of that manifest. */
  where: string;
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Small blobs made here (an envelope, a config) pushed as any blob is: HEAD first, then one PUT. */
async function pushBytes(client: RegistryClient, repository: string, bytes: Buffer, sessions: UploadSessions): Promise<{ digest: string; size: number }> {
  const descriptor = { digest: sha256(bytes), size: bytes.length };
  const source: UploadSource = {
    fetch: () => Readable.from([bytes]),
    pieces: ({ offset, length }) => Readable.from([bytes.subarray(offset, offset + length)]),
  };
  await pushBlob(client, repository, source, descriptor, { sessions });
  return descriptor;
}

/** The config cosign writes for its signature and attestation manifests: empty but for the layers' diff ids. */
function cosignConfig(layers: readonly { digest: string }[]): Buffer {
  const epoch = '0001-01-01T00:00:00Z';
  return Buffer.from(
    JSON.stringify({
      architecture: '',
      config: {},
      created: epoch,
      history: [{ created: epoch }],
      os: '',
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    }),
  );
}

/**
 * Attaches a DSSE envelope to `subject` in `repository`: as an OCI 1.1 referrer where the registry
 * answers the referrers API, otherwise as a new layer of cosign's `sha256-<hex>.att` manifest,
 * keeping every layer already there (a publisher's attestations) byte-exact.
 */
export async function storeAttestation(
  client: RegistryClient,
  repository: string,
  subject: Descriptor & { mediaType: string },
  envelope: Buffer,
  sessions: UploadSessions,
): Promise<StoredAttestation> {
  const layerBlob = await pushBytes(client, repository, envelope, sessions);
  const layer = {
    ...layerBlob,
    mediaType: DSSE_MEDIA_TYPE,
    annotations: { [COSIGN_SIGNATURE_ANNOTATION]: '', predicateType: TRANSFER_PREDICATE_TYPE },
  };
  if (await answersReferrersApi(client, repository, subject.digest)) {
    const config = { ...(await pushBytes(client, repository, EMPTY_JSON, sessions)), mediaType: OCI_EMPTY };
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: DSSE_MEDIA_TYPE,
        config,
        layers: [layer],
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
        annotations: { 'org.opencontainers.image.created': new Date().toISOString() },
      }),
    );
    const digest = sha256(manifest);
    await putManifest(client, repository, digest, OCI_MANIFEST, manifest, digest);
    return { envelope: layer.digest, manifest: digest, stored: 'referrer', where: `${client.registry}/${repository}@${digest}` };
  }

  const tag = cosignTag(subject.digest, '.att');
  const existing = await fetchManifest(client, repository, tag).catch((err: unknown) => {
    if (err instanceof FerryError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  });
  if (existing && existing.parsed.kind !== 'manifest')
    throw new FerryError('REMOTE', `${client.registry}/${repository}:${tag} is an index, not cosign's attestation manifest; it was left as it is.`, {
      reference: tag,
    });
  const kept = existing?.parsed.kind === 'manifest' ? ((existing.parsed.json.layers as unknown[] | undefined) ?? []) : [];
  const layers = [...kept, layer] as { digest: string }[];
  const config = { ...(await pushBytes(client, repository, cosignConfig(layers), sessions)), mediaType: OCI_CONFIG };
  const manifest = Buffer.from(JSON.stringify({ ...(existing?.parsed.json ?? {}), schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers }));
  const digest = sha256(manifest);
  await putManifest(client, repository, tag, OCI_MANIFEST, manifest, digest);
  return { envelope: layer.digest, manifest: digest, stored: 'tag', where: `${client.registry}/${repository}:${tag}` };
}

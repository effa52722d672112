import type { ArtifactInput } from '../bundle/plan.js';
import type { RegistryClient } from '../registry/client.js';
import { fetchManifest, manifestBlobs } from '../registry/pull.js';
import { cosignTag, listReferrers } from '../registry/referrers.js';
import { formatReference, type Reference } from '../registry/reference.js';
import { FerryError } from '../util/errors.js';

/** How a manifest is attached to its subject: cosign's tag forms, or an OCI 1.1 referrer. */
export type AttachmentKind = 'signature' | 'attestation' | 'sbom' | 'referrer';

const COSIGN_TAGS = [
  ['signature', '.sig'],
  ['attestation', '.att'],
  ['sbom', '.sbom'],
] as const;

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

export interface AttachedFound {
  inputs: ArtifactInput[];
  counts: Record<AttachmentKind, number>;
  /** What could not be fetched: carried on without it, and said. */
  warnings: string[];
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * What the source registry holds attached to `subject` (an image or chart it resolved): cosign's
 * `sha256-<hex>.sig`, `.att` and `.sbom` manifests and the subject's OCI 1.1 referrers (the
 * referrers API, or its fallback tag), each as an artifact of its own, byte-exact, naming its
 * subject. A tag that does not exist is nothing to carry; one that cannot be fetched is a warning.
 */
export async function attachedArtifacts(client: RegistryClient, ref: Reference, subject: string, signal?: AbortSignal): Promise<AttachedFound> {
  const found: AttachedFound = { inputs: [], counts: { signature: 0, attestation: 0, sbom: 0, referrer: 0 }, warnings: [] };
  const subjectRef = formatReference({ registry: ref.registry, repository: ref.repository, digest: subject });
  const carry = async (reference: string, attachment: AttachmentKind) => {
    const fetched = await fetchManifest(client, ref.repository, reference, signal);
    if (fetched.parsed.kind !== 'manifest') {
      found.warnings.push(`${attachment} ${reference} of ${subjectRef} is an index, which Ferry does not carry as an attachment.`);
      return;
    }
    const owner = `${attachment} of ${subjectRef}`;
    const { blobs } = await manifestBlobs(client, ref.repository, fetched.parsed, owner, signal);
    const tagged = !reference.startsWith('sha256:');
    found.inputs.push({
      kind: 'image',
      ref: formatReference({ registry: ref.registry, repository: ref.repository, ...(tagged ? { tag: reference } : { digest: reference }) }),
      mediaType: fetched.parsed.mediaType,
      manifest: fetched.bytes,
      blobs,
      facts: { attachment, subject },
    });
    found.counts[attachment]++;
  };

  for (const [attachment, suffix] of COSIGN_TAGS) {
    const tag = cosignTag(subject, suffix);
    try {
      await carry(tag, attachment);
    } catch (err) {
      if (err instanceof FerryError && err.code === 'CANCELLED') throw err;
      signal?.throwIfAborted();
      if (!(err instanceof FerryError && err.code === 'NOT_FOUND')) found.warnings.push(`Could not fetch ${tag} of ${subjectRef}: ${reason(err)}`);
    }
  }
  try {
    for (const referrer of await listReferrers(client, ref.repository, subject, signal)) {
      if (!SHA256_DIGEST.test(referrer.digest)) {
        found.warnings.push(
          `A referrer of ${subjectRef} is listed with the digest "${referrer.digest.slice(0, 80)}", which is not sha256:<64 hex>; it was left out.`,
        );
        continue;
      }
      try {
        await carry(referrer.digest, 'referrer');
      } catch (err) {
        signal?.throwIfAborted();
        found.warnings.push(`Could not fetch referrer ${referrer.digest} of ${subjectRef}: ${reason(err)}`);
      }
    }
  } catch (err) {
    signal?.throwIfAborted();
    found.warnings.push(`Could not list the referrers of ${subjectRef}: ${reason(err)}`);
  }
  return found;
}

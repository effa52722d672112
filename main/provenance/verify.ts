import { createPublicKey } from 'node:crypto';
import type { TransferAttestation } from '../../shared/contract/provenance.js';
import type { RegistryClient } from '../registry/client.js';
import { fetchManifest, fetchSmallBlob } from '../registry/pull.js';
import { cosignTag, referrersApi } from '../registry/referrers.js';
import type { Reference } from '../registry/reference.js';
import { FerryError } from '../util/errors.js';
import { DSSE_MEDIA_TYPE, IN_TOTO_PAYLOAD_TYPE, openEnvelope, parseEnvelope } from './dsse.js';
import { IN_TOTO_STATEMENT_V1, TRANSFER_PREDICATE_TYPE } from './statement.js';

/** Envelopes are read whole; a transfer attestation is a few kilobytes. */
const MAX_ENVELOPE = 4 * 1024 * 1024;

/** A key that may have signed an attestation, and whose it is. */
export interface CandidateKey {
  fingerprint: string;
  publicKeyPem: string;
  name?: string;
}

/** An envelope layer and how its manifest is attached. */
interface FoundLayer {
  digest: string;
  size: number;
  stored: 'referrer' | 'tag';
}

/** The DSSE layers attached to `subject`: its referrers where the API answers, else cosign's .att tag. */
async function attestationLayers(client: RegistryClient, repository: string, subject: string): Promise<FoundLayer[]> {
  const manifests: { reference: string; stored: FoundLayer['stored'] }[] = [];
  const referrers = await referrersApi(client, repository, subject);
  for (const r of referrers ?? [])
    if (r.artifactType === DSSE_MEDIA_TYPE && /^sha256:[0-9a-f]{64}$/.test(r.digest)) manifests.push({ reference: r.digest, stored: 'referrer' });
  manifests.push({ reference: cosignTag(subject, '.att'), stored: 'tag' });
  const layers: FoundLayer[] = [];
  for (const { reference, stored } of manifests) {
    const fetched = await fetchManifest(client, repository, reference).catch((err: unknown) => {
      if (err instanceof FerryError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    });
    if (fetched?.parsed.kind !== 'manifest') continue;
    for (const layer of fetched.parsed.layers) if (layer.mediaType === DSSE_MEDIA_TYPE) layers.push({ digest: layer.digest, size: layer.size, stored });
  }
  return layers;
}

interface Statement {
  _type?: unknown;
  predicateType?: unknown;
  subject?: { name?: unknown; digest?: { sha256?: unknown } }[];
  predicate?: Record<string, unknown>;
}

/** One envelope checked: the signature by one of `keys`, then the statement's type and subject. */
function check(bytes: Buffer, layer: FoundLayer, digest: string, keys: readonly CandidateKey[]): TransferAttestation | undefined {
  const base = { envelope: layer.digest, stored: layer.stored };
  const envelope = parseEnvelope(bytes);
  if (!envelope) return { ...base, valid: false, problem: 'the layer is not a DSSE envelope' };
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) return undefined;
  const signer = keys.find((k) => openEnvelope(envelope, createPublicKey(k.publicKeyPem)));
  let statement: Statement;
  try {
    statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Statement;
  } catch {
    return { ...base, valid: false, problem: 'its payload is not JSON' };
  }
  if (statement.predicateType !== TRANSFER_PREDICATE_TYPE) return undefined;
  if (!signer) return { ...base, valid: false, problem: 'its signature does not verify with any of the keys given: it was altered, or another site signed it' };
  const who = { signer: signer.fingerprint, ...(signer.name ? { signerName: signer.name } : {}) };
  const subject = statement.subject?.[0];
  const subjectDigest = typeof subject?.digest?.sha256 === 'string' ? `sha256:${subject.digest.sha256}` : '';
  const facts = { ...(statement.predicate ? { predicate: statement.predicate } : {}), subject: { name: String(subject?.name ?? ''), digest: subjectDigest } };
  if (statement._type !== IN_TOTO_STATEMENT_V1) return { ...base, ...who, ...facts, valid: false, problem: 'it is not an in-toto Statement v1' };
  if (subjectDigest !== digest) return { ...base, ...who, ...facts, valid: false, problem: `its subject is ${subjectDigest || 'missing'}, not ${digest}` };
  return { ...base, ...who, ...facts, valid: true };
}

/**
 * Every Ferry transfer attestation attached to `ref` in its registry, each checked. A tampered
 * envelope, a subject of another digest or a key nobody gave is reported, not trusted.
 */
export async function verifyProvenance(client: RegistryClient, ref: Reference, keys: readonly CandidateKey[]) {
  const digest = ref.digest ?? (await fetchManifest(client, ref.repository, ref.tag!)).digest;
  const attestations: TransferAttestation[] = [];
  for (const layer of await attestationLayers(client, ref.repository, digest)) {
    if (layer.size > MAX_ENVELOPE) {
      attestations.push({
        envelope: layer.digest,
        stored: layer.stored,
        valid: false,
        problem: `its envelope is ${layer.size} bytes, more than an attestation needs`,
      });
      continue;
    }
    const bytes = await fetchSmallBlob(client, ref.repository, { digest: layer.digest, size: layer.size, mediaType: DSSE_MEDIA_TYPE });
    const checked = check(bytes, layer, digest, keys);
    if (checked) attestations.push(checked);
  }
  return { digest, predicateType: TRANSFER_PREDICATE_TYPE, attestations };
}

/**
 * Signatures, attestations and referrers laid out in a registry exactly as cosign and the OCI 1.1
 * spec lay them out, signed with openssl, so a test can carry them across the gap and check them
 * on the far side with openssl alone. Raw HTTP against a plain-HTTP test registry.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from './cli.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const SIMPLESIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const DSSE = 'application/vnd.dsse.envelope.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';

export const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export interface Blob {
  digest: string;
  size: number;
}

export async function pushBlob(registryUrl: string, repository: string, bytes: Buffer): Promise<Blob> {
  const digest = sha256(bytes);
  const started = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  if (started.status !== 202) throw new Error(`upload start ${started.status}`);
  const location = new URL(started.headers.get('location')!, registryUrl);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  if (put.status !== 201) throw new Error(`blob put ${put.status}: ${await put.text()}`);
  return { digest, size: bytes.length };
}

export async function putManifest(registryUrl: string, repository: string, reference: string, manifest: Buffer, mediaType = OCI_MANIFEST): Promise<string> {
  const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, { method: 'PUT', body: manifest, headers: { 'content-type': mediaType } });
  if (res.status !== 201) throw new Error(`manifest put ${res.status}: ${await res.text()}`);
  return sha256(manifest);
}

/** A manifest's bytes and digest, or undefined on 404. */
export async function getManifest(
  registryUrl: string,
  repository: string,
  reference: string,
): Promise<{ bytes: Buffer; digest: string; json: any } | undefined> {
  const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, { headers: { accept: `${OCI_MANIFEST}, ${OCI_INDEX}` } });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`manifest get ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { bytes, digest: sha256(bytes), json: JSON.parse(bytes.toString('utf8')) };
}

export async function getBlob(registryUrl: string, repository: string, digest: string): Promise<Buffer> {
  const res = await fetch(`${registryUrl}/v2/${repository}/blobs/${digest}`);
  if (res.status !== 200) throw new Error(`blob get ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** `openssl dgst -sha256 -sign KEY` over `data`: a DER ECDSA signature, as cosign makes. */
export async function opensslSign(work: string, key: string, data: Buffer): Promise<Buffer> {
  const input = path.join(work, `to-sign-${sha256(data).slice(7, 19)}`);
  const output = `${input}.sig`;
  await fs.writeFile(input, data);
  const signed = await run('openssl', ['dgst', '-sha256', '-sign', key, '-out', output, input]);
  if (signed.code !== 0) throw new Error(signed.stderr);
  return fs.readFile(output);
}

/** `openssl dgst -sha256 -verify PUB -signature SIG` over `data`: true when it prints Verified OK. */
export async function opensslVerifies(work: string, pub: string, data: Buffer, signature: Buffer): Promise<boolean> {
  const input = path.join(work, `to-verify-${sha256(data).slice(7, 19)}`);
  await fs.writeFile(input, data);
  await fs.writeFile(`${input}.sig`, signature);
  const verified = await run('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', `${input}.sig`, input]);
  return verified.code === 0 && verified.stdout.includes('Verified OK');
}

/** An EC P-256 key pair made with openssl: the publisher's cosign key. */
export async function opensslKeyPair(work: string, name: string): Promise<{ key: string; pub: string }> {
  const key = path.join(work, `${name}.key.pem`);
  const pub = path.join(work, `${name}.pub.pem`);
  for (const args of [
    ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key],
    ['ec', '-in', key, '-pubout', '-out', pub],
  ]) {
    const r = await run('openssl', args);
    if (r.code !== 0) throw new Error(r.stderr);
  }
  return { key, pub };
}

function cosignConfig(layers: readonly Blob[]): Buffer {
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

async function cosignManifest(
  registryUrl: string,
  repository: string,
  layers: { blob: Blob; mediaType: string; annotations: Record<string, string> }[],
): Promise<Buffer> {
  const config = await pushBlob(registryUrl, repository, cosignConfig(layers.map((l) => l.blob)));
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, ...config },
      layers: layers.map((l) => ({ mediaType: l.mediaType, ...l.blob, annotations: l.annotations })),
    }),
  );
}

/** cosign sign --key: the simple-signing payload, its signature in the layer's annotation, tag sha256-<hex>.sig. */
export async function cosignSign(work: string, registryUrl: string, host: string, repository: string, subject: string, key: string) {
  const payload = Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': `${host}/${repository}` },
        image: { 'docker-manifest-digest': subject },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
  const signature = await opensslSign(work, key, payload);
  const blob = await pushBlob(registryUrl, repository, payload);
  const manifest = await cosignManifest(registryUrl, repository, [
    { blob, mediaType: SIMPLESIGNING, annotations: { [SIGNATURE_ANNOTATION]: signature.toString('base64') } },
  ]);
  const digest = await putManifest(registryUrl, repository, `${subject.replace(':', '-')}.sig`, manifest);
  return { digest, payload, signature };
}

/** DSSE's pre-authentication encoding, written out independently of Ferry's. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `), payload]);
}

/** cosign attest --key: an in-toto statement in a DSSE envelope, a layer of tag sha256-<hex>.att. */
export async function cosignAttest(work: string, registryUrl: string, repository: string, subject: string, key: string, predicateType: string) {
  const statement = Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: repository, digest: { sha256: subject.slice(7) } }],
      predicateType,
      predicate: { builder: 'publisher-ci' },
    }),
  );
  const sig = await opensslSign(work, key, pae('application/vnd.in-toto+json', statement));
  const envelope = Buffer.from(
    JSON.stringify({
      payloadType: 'application/vnd.in-toto+json',
      payload: statement.toString('base64'),
      signatures: [{ keyid: '', sig: sig.toString('base64') }],
    }),
  );
  const blob = await pushBlob(registryUrl, repository, envelope);
  const manifest = await cosignManifest(registryUrl, repository, [{ blob, mediaType: DSSE, annotations: { [SIGNATURE_ANNOTATION]: '', predicateType } }]);
  const digest = await putManifest(registryUrl, repository, `${subject.replace(':', '-')}.att`, manifest);
  return { digest, layer: blob };
}

/**
 * An SBOM attached as an OCI 1.1 referrer (a manifest with `subject`), listed the way a client does
 * on a registry without the referrers API: in the `sha256-<hex>` fallback tag's index.
 */
export async function attachSbomReferrer(
  registryUrl: string,
  repository: string,
  subject: { digest: string; size: number; mediaType: string },
  withFallbackTag: boolean,
) {
  const empty = await pushBlob(registryUrl, repository, Buffer.from('{}'));
  const sbom = await pushBlob(registryUrl, repository, Buffer.from(JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'demo' })));
  const artifactType = 'application/spdx+json';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', ...empty },
      layers: [{ mediaType: artifactType, ...sbom }],
      subject,
    }),
  );
  const digest = await putManifest(registryUrl, repository, sha256(manifest), manifest);
  if (withFallbackTag) {
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest, size: manifest.length, artifactType }] }),
    );
    await putManifest(registryUrl, repository, subject.digest.replace(':', '-'), index, OCI_INDEX);
  }
  return { digest, size: manifest.length };
}

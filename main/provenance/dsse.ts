import type { KeyObject } from 'node:crypto';
import { signDer, verifyDer } from '../keys/keys.js';

/** The payload type of an in-toto Statement in a DSSE envelope. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';

export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the payload bytes. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/**
 * DSSE's pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(payload) SP payload,
 * lengths in decimal ASCII bytes. This, not the payload, is what is signed.
 */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, 'utf8'), type, Buffer.from(` ${payload.length} `, 'utf8'), Buffer.from(payload)]);
}

/** An envelope over `payload` with one DER ECDSA P-256 SHA-256 signature, the form cosign writes (keyid empty). */
export function signEnvelope(payload: Uint8Array, key: KeyObject, payloadType = IN_TOTO_PAYLOAD_TYPE): DsseEnvelope {
  const sig = signDer(key, preAuthEncoding(payloadType, payload));
  return { payloadType, payload: Buffer.from(payload).toString('base64'), signatures: [{ keyid: '', sig: sig.toString('base64') }] };
}

/** The envelope's payload when one of its signatures verifies with `publicKey`; undefined otherwise. */
export function openEnvelope(envelope: DsseEnvelope, publicKey: KeyObject | string): Buffer | undefined {
  const payload = Buffer.from(envelope.payload, 'base64');
  const pae = preAuthEncoding(envelope.payloadType, payload);
  return envelope.signatures.some((s) => verifyDer(publicKey, pae, Buffer.from(s.sig, 'base64'))) ? payload : undefined;
}

/** Parses an envelope's JSON, or undefined when it is not one. */
export function parseEnvelope(bytes: Uint8Array): DsseEnvelope | undefined {
  try {
    const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<DsseEnvelope>;
    if (typeof json.payloadType !== 'string' || typeof json.payload !== 'string' || !Array.isArray(json.signatures)) return undefined;
    const signatures = json.signatures.filter((s): s is { keyid: string; sig: string } => typeof s?.sig === 'string');
    return { payloadType: json.payloadType, payload: json.payload, signatures: signatures.map((s) => ({ keyid: String(s.keyid ?? ''), sig: s.sig })) };
  } catch {
    return undefined;
  }
}

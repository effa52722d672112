import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json.js';
import { MIN_PASSPHRASE } from '../../shared/passphrase.js';
import { FerryError } from '../util/errors.js';
import { fingerprintOf, publicKeyPem } from '../keys/keys.js';

/** A person's key as enrolment makes it: the private part sealed with their passphrase. */
export interface SealedPersonalKey {
  fingerprint: string;
  publicKeyPem: string;
  /** Encrypted PKCS#8 PEM (AES-256-CBC, PBKDF2): `openssl pkey -in FILE` asks for the passphrase. */
  sealedPrivateKeyPem: string;
}

export function assertPassphrase(passphrase: string, whose: string): void {
  if (passphrase.length < MIN_PASSPHRASE) {
    throw new FerryError('USAGE', `${whose} passphrase is too short: use at least ${MIN_PASSPHRASE} characters.`, { field: 'passphrase' });
  }
}

/** A new ECDSA P-256 key for one person, sealed with their passphrase. */
export function createPersonalKey(passphrase: string): SealedPersonalKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { fingerprint: fingerprintOf(publicKey), publicKeyPem: publicKeyPem(createPublicKey(publicKey)), sealedPrivateKeyPem: privateKey };
}

/** Opens a sealed key with the passphrase; a wrong one is a refusal naming the person. */
export function unsealPersonalKey(sealedPem: string, passphrase: string, name: string): KeyObject {
  try {
    return createPrivateKey({ key: sealedPem, format: 'pem', passphrase });
  } catch {
    throw new FerryError('REFUSED', `The passphrase for ${name} is wrong. Nothing was recorded; ${name} types their own passphrase again.`, {
      field: 'passphrase',
      person: name,
    });
  }
}

/** Base64 DER ECDSA SHA-256 over the canonical JSON of the statement. */
export function signStatement(key: KeyObject, statement: Record<string, unknown>): string {
  return sign('sha256', Buffer.from(canonicalJson(statement)), key).toString('base64');
}

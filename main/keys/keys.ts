import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { FerryError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { restrictToOwner } from '../util/home.js';

/** The site signing key: ECDSA P-256, kept under FERRY_HOME/keys with mode 0600. */
export interface SiteKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

export function siteKeyPaths(home: string) {
  const dir = path.join(home, 'keys');
  return { dir, privateKey: path.join(dir, 'site-key.pem'), publicKey: path.join(dir, 'site.pub.pem'), trustedDir: path.join(dir, 'trusted') };
}

/** Fingerprint = hex sha256 of the SPKI DER of the public key. */
export function fingerprintOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Parses a PEM public key and insists on ECDSA P-256, naming `source` when it is anything else. */
export function parseP256PublicKey(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new FerryError('INVALID_INPUT', `${source} is not a PEM public key.`, { file: source });
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new FerryError('INVALID_INPUT', `${source} is not an ECDSA P-256 public key.`, { file: source });
  }
  return key;
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** Loads the site key, creating it on first use. `created` tells the caller to record key.created. */
export async function loadOrCreateSiteKey(home: string): Promise<SiteKey & { created: boolean }> {
  const paths = siteKeyPaths(home);
  let pem: string | undefined;
  try {
    pem = await fs.readFile(paths.privateKey, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let created = false;
  restrictToOwner(paths.dir, 0o700);
  restrictToOwner(paths.privateKey, 0o600);
  restrictToOwner(paths.publicKey, 0o600);
  if (pem === undefined) {
    await fs.mkdir(paths.dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFileAtomic(paths.privateKey, pem, 0o600);
    await fs.chmod(paths.privateKey, 0o600);
    created = true;
  }
  const privateKey = createPrivateKey(pem);
  const pub = createPublicKey(privateKey);
  const pubPem = publicKeyPem(pub);
  if (created) await writeFileAtomic(paths.publicKey, pubPem, 0o600);
  return { privateKey, publicKeyPem: pubPem, fingerprint: fingerprintOf(pub), created };
}

/** DER-encoded ECDSA P-256 SHA-256 signature, as `openssl dgst -sha256 -sign` writes it. */
export function signDer(key: KeyObject, data: Uint8Array): Buffer {
  return sign('sha256', data, { key, dsaEncoding: 'der' });
}

export function verifyDer(publicKey: KeyObject | string, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    return verify('sha256', data, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

export interface TrustedKey {
  fingerprint: string;
  publicKeyPem: string;
  file: string;
  /** Whose key it is, as recorded when it was trusted. */
  name?: string;
  /** Trust withdrawn (key.revoked): a bundle it signed is refused, naming this. */
  revoked?: { at: string; by: { name: string; role?: string }; reason: string };
}

/**
 * Why a bundle's signer is not trusted, in words: a key revoked (by whom, when, why), or one never
 * trusted; `revoked` tells the two apart for the faces (no "Trust this key" for a revoked one).
 */
export function untrustedSigner(fingerprint: string, trusted: readonly TrustedKey[]): { message: string; revoked: boolean } {
  const revoked = trusted.find((k) => k.fingerprint === fingerprint && k.revoked);
  if (revoked?.revoked) {
    const { at, by, reason } = revoked.revoked;
    return {
      message: `The bundle is signed by ${fingerprint}${revoked.name ? ` (${revoked.name})` : ''}, whose trust was revoked at ${at} by ${by.name}: ${reason}. It is refused; ask the exporting site which key it signs with now.`,
      revoked: true,
    };
  }
  return {
    message: `The bundle is signed by ${fingerprint}, which is not a trusted key. If the exporting site gave you this fingerprint, trust their public key: ferry keys trust THEIR-KEY.pub.pem (or pass --trust FILE).`,
    revoked: false,
  };
}

/** A public key given as PEM text, checked (P-256) and normalised; `source` names it in errors. */
export function readPublicKeyPem(pem: string, source: string): { fingerprint: string; publicKeyPem: string } {
  const key = parseP256PublicKey(pem, source);
  return { fingerprint: fingerprintOf(key), publicKeyPem: publicKeyPem(key) };
}

/** Pins a key read by readPublicKeyPem under FERRY_HOME/keys/trusted/<fingerprint>.pub.pem. */
export async function pinTrustedKey(home: string, key: { fingerprint: string; publicKeyPem: string }): Promise<TrustedKey> {
  const { trustedDir } = siteKeyPaths(home);
  await fs.mkdir(trustedDir, { recursive: true, mode: 0o700 });
  const target = path.join(trustedDir, `${key.fingerprint}.pub.pem`);
  await writeFileAtomic(target, key.publicKeyPem);
  return { ...key, file: target };
}

export async function listTrustedKeys(home: string): Promise<TrustedKey[]> {
  const { trustedDir } = siteKeyPaths(home);
  let names: string[];
  try {
    names = await fs.readdir(trustedDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const keys: TrustedKey[] = [];
  for (const name of names.filter((n) => n.endsWith('.pub.pem')).sort()) {
    const file = path.join(trustedDir, name);
    const pem = await fs.readFile(file, 'utf8');
    const key = parseP256PublicKey(pem, file);
    keys.push({ fingerprint: fingerprintOf(key), publicKeyPem: publicKeyPem(key), file: path.resolve(file) });
  }
  return keys;
}

/**
 * Keys named with --trust for one run, without pinning them. A key file inside one of `bundleFolders`
 * is refused: it is the signer's key that travels with the bundle, so whoever could change the
 * bundle could change it too, and trusting it would make the signature prove nothing.
 */
export async function readTrustFiles(files: readonly string[], bundleFolders: readonly string[] = []): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  for (const file of files) {
    let pem: string;
    try {
      pem = await fs.readFile(file, 'utf8');
    } catch {
      throw new FerryError('USAGE', `Cannot read the --trust key ${file}.`, { file });
    }
    await refuseCarriedKey(file, bundleFolders);
    const key = parseP256PublicKey(pem, file);
    keys.push({ fingerprint: fingerprintOf(key), publicKeyPem: publicKeyPem(key), file: path.resolve(file) });
  }
  return keys;
}

async function refuseCarriedKey(file: string, bundleFolders: readonly string[]): Promise<void> {
  const real = await fs.realpath(file);
  for (const folder of bundleFolders) {
    const realFolder = await fs.realpath(folder).catch(() => path.resolve(folder));
    const inside = path.relative(realFolder, real);
    if (inside.startsWith('..') || path.isAbsolute(inside)) continue;
    throw new FerryError(
      'USAGE',
      `--trust ${file}: this key travels with the bundle in ${folder}, so it cannot vouch for the bundle. ` +
        'Compare its fingerprint (ferry verify shows it) with the one the exporting site gave you, on the transfer form or by phone; ' +
        'when they match, pin it with ferry keys trust FILE --name "SITE", or give --trust the key file the exporting site sent you.',
      { file, folder },
    );
  }
}

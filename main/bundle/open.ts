import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { BundleIndex } from '../../shared/bundle.js';
import type { ErrorCode } from '../../shared/errors.js';
import { fingerprintOf, parseP256PublicKey, verifyDer, type TrustedKey } from '../keys/keys.js';
import { FerryError } from '../util/errors.js';
import { artifactKindRules } from './artifact-kinds.js';
import { artifactRefProblem } from './artifact-ref.js';
import { checkCarriedLedger, checkIndexBounds, readBundleFileBounded } from './index-limits.js';
import { BUNDLE_FILES } from './write.js';

/**
 * Opening a bundle folder: SHA256SUMS, its signature and BUNDLE.json read (bounded), the signer
 * checked against the trusted keys, and the index checked against itself and the signed sums,
 * before any volume is read.
 */

/** Who signed a bundle, and whether this site trusts them. */
export interface BundleSigner {
  fingerprint: string;
  signatureValid: boolean;
  trusted: boolean;
  trustedKeyFile?: string;
  /** Whose key it is, as recorded when this site trusted it. */
  name?: string;
  /** This site revoked the key: the bundle is refused. */
  revoked?: { at: string; by: { name: string; role?: string }; reason: string };
}

/** The signed, parsed metadata of a bundle folder, before any volume is read. */
export interface OpenedBundle {
  dir: string;
  sums: Buffer;
  sumsEntries: Map<string, string>;
  bundleDigest: string;
  index: BundleIndex;
  signer: BundleSigner;
}

const SAFE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** What to do about a signed bundle whose contents lie: it cannot be repaired on this side. */
export const EXPORT_AGAIN = 'Do not use this bundle: ask the exporting site to export it again.';

function parseSums(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.pop() !== '')
    throw new FerryError('INTEGRITY', 'SHA256SUMS does not end with a newline: it is truncated or was edited.', { file: BUNDLE_FILES.sums });
  for (const line of lines) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match || !SAFE_FILE.test(match[2]!))
      throw new FerryError('INTEGRITY', `SHA256SUMS has a malformed line: ${JSON.stringify(line.slice(0, 120))}`, { file: BUNDLE_FILES.sums });
    if (entries.has(match[2]!)) throw new FerryError('INTEGRITY', `SHA256SUMS lists ${match[2]} twice.`, { file: BUNDLE_FILES.sums });
    entries.set(match[2]!, match[1]!);
  }
  return entries;
}

async function readBundleFile(dir: string, file: string, code: ErrorCode, whatToDo: string): Promise<Buffer> {
  try {
    return await readBundleFileBounded(dir, file, code);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new FerryError(code, `${path.join(dir, file)} is missing. ${whatToDo}`, { file });
    throw err;
  }
}

/** BUNDLE.json's bytes as the contract's shape; `code` is INTEGRITY when verifying, INVALID_INPUT when only reading. */
export function parseBundleIndex(bytes: Buffer, code: ErrorCode): BundleIndex {
  checkIndexBounds(bytes, code);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new FerryError(code, 'BUNDLE.json is not valid JSON.', { file: BUNDLE_FILES.index });
  }
  const result = BundleIndex.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new FerryError(code, `BUNDLE.json field ${issue.path.join('.') || '(root)'}: ${issue.message}.`, {
      file: BUNDLE_FILES.index,
      field: issue.path.join('.'),
    });
  }
  checkCarriedLedger(result.data, code);
  return result.data;
}

/**
 * Reads and checks the small files: the signature over SHA256SUMS (by a pinned key, when one
 * matches the signer's fingerprint), BUNDLE.json against SHA256SUMS, and BUNDLE.json's shape.
 * Throws on anything that makes the rest meaningless; an untrusted signer is reported, not thrown.
 */
export async function openBundle(dir: string, trusted: readonly TrustedKey[]): Promise<OpenedBundle> {
  const stat = await fsp.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new FerryError('NOT_FOUND', `${dir} is not a folder. Name the bundle folder (the one holding SHA256SUMS).`, { file: dir });
  const incomplete = 'This is not a complete Ferry bundle: an export may have been interrupted, or a file was not copied.';
  const sums = await readBundleFile(dir, BUNDLE_FILES.sums, 'SIGNATURE', incomplete);
  const signatureText = await readBundleFile(dir, BUNDLE_FILES.signature, 'SIGNATURE', `${incomplete} Unsigned bundles are refused.`);
  const signerPem = (await readBundleFile(dir, BUNDLE_FILES.signer, 'SIGNATURE', incomplete)).toString('utf8');
  const signerKey = (() => {
    try {
      return parseP256PublicKey(signerPem, BUNDLE_FILES.signer);
    } catch (err) {
      throw new FerryError('SIGNATURE', (err as Error).message, { file: BUNDLE_FILES.signer });
    }
  })();
  const fingerprint = fingerprintOf(signerKey);
  const pinned = trusted.find((k) => k.fingerprint === fingerprint && !k.revoked);
  const revoked = trusted.find((k) => k.fingerprint === fingerprint && k.revoked);
  const signature = Buffer.from(signatureText.toString('ascii').trim(), 'base64');
  const signatureValid = verifyDer(pinned ? pinned.publicKeyPem : signerKey, sums, signature);
  if (!signatureValid) {
    throw new FerryError(
      'SIGNATURE',
      `The signature in ${BUNDLE_FILES.signature} does not match SHA256SUMS: the bundle was altered after signing, or a file is damaged.`,
      { file: BUNDLE_FILES.signature, fingerprint },
    );
  }
  const sumsEntries = parseSums(sums.toString('utf8'));
  const indexBytes = await readBundleFile(dir, BUNDLE_FILES.index, 'INTEGRITY', incomplete);
  const indexHash = createHash('sha256').update(indexBytes).digest('hex');
  if (sumsEntries.get(BUNDLE_FILES.index) !== indexHash) {
    throw new FerryError('INTEGRITY', `BUNDLE.json does not match its line in SHA256SUMS: it was altered or damaged.`, { file: BUNDLE_FILES.index });
  }
  const index = parseBundleIndex(indexBytes, 'INTEGRITY');
  checkIndexConsistency(index, sumsEntries, fingerprint);
  return {
    dir,
    sums,
    sumsEntries,
    bundleDigest: `sha256:${createHash('sha256').update(sums).digest('hex')}`,
    index,
    signer: {
      fingerprint,
      signatureValid,
      trusted: Boolean(pinned),
      ...(pinned ? { trustedKeyFile: pinned.file } : {}),
      ...((pinned ?? revoked)?.name ? { name: (pinned ?? revoked)!.name } : {}),
      ...(revoked?.revoked ? { revoked: revoked.revoked } : {}),
    },
  };
}

function checkIndexConsistency(index: BundleIndex, sums: Map<string, string>, fingerprint: string): void {
  const fail = (message: string, field: string) => {
    throw new FerryError('INTEGRITY', `BUNDLE.json ${message}`, { file: BUNDLE_FILES.index, field });
  };
  if (index.signer !== fingerprint) fail(`names signer ${index.signer}, but the bundle is signed by ${fingerprint}.`, 'signer');
  const digits = Math.max(3, String(index.volumes.length).length);
  let total = 0;
  index.volumes.forEach((volume, i) => {
    const expected = `${index.name}.tar.${String(i + 1).padStart(digits, '0')}`;
    if (volume.file !== expected) fail(`lists volume ${volume.file} where ${expected} belongs.`, `volumes.${i}.file`);
    if (sums.get(volume.file) !== volume.sha256) fail(`and SHA256SUMS disagree about ${volume.file}.`, `volumes.${i}.sha256`);
    if (i < index.volumes.length - 1 && volume.size !== index.volumeSize)
      fail(`says ${volume.file} is ${volume.size} bytes, not the volume size ${index.volumeSize}.`, `volumes.${i}.size`);
    if (volume.size > index.volumeSize || volume.size === 0) fail(`gives ${volume.file} an impossible size ${volume.size}.`, `volumes.${i}.size`);
    total += volume.size;
  });
  for (const file of sums.keys()) {
    if (file !== BUNDLE_FILES.index && !index.volumes.some((v) => v.file === file)) fail(`does not list ${file}, which SHA256SUMS does.`, 'volumes');
  }
  if (total !== index.tar.size) fail(`says the tar stream is ${index.tar.size} bytes, but its volumes add up to ${total}.`, 'tar.size');
  const seen = new Set<string>();
  for (const blob of index.blobs) {
    if (seen.has(blob.digest)) fail(`lists blob ${blob.digest} twice.`, 'blobs');
    seen.add(blob.digest);
    if (blob.offset + blob.size > index.tar.size) {
      fail(
        `places blob ${blob.digest} (${blob.size} bytes at offset ${blob.offset}) beyond the end of the volumes (${index.tar.size} bytes). ${EXPORT_AGAIN}`,
        'blobs',
      );
    }
  }
  const refs = new Set<string>();
  for (const artifact of index.artifacts) {
    // The ref becomes a path in a store or a registry name: refused here, before anything is read or written.
    const unsafe = artifactRefProblem(artifact.kind, artifact.ref);
    if (unsafe) fail(`${unsafe}. ${EXPORT_AGAIN}`, 'artifacts');
    const ref = artifactKindRules(artifact.kind).refKey?.(artifact.ref) ?? artifact.ref;
    if (refs.has(ref)) fail(`names ${artifact.ref} twice: two artifacts would install over each other. ${EXPORT_AGAIN}`, 'artifacts');
    refs.add(ref);
    if (!seen.has(artifact.digest)) fail(`names artifact ${artifact.ref} with manifest ${artifact.digest}, which is not among its blobs.`, 'artifacts');
  }
}

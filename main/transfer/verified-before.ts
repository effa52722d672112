import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { type VerifyReport } from '../bundle/verify.js';
import { openBundle } from '../bundle/open.js';
import { BundleStore } from '../bundle/bundle-store.js';
import { VolumeSet } from '../bundle/volume-set.js';
import { fetchAll } from '../content/store.js';
import type { TrustedKey } from '../keys/keys.js';
import { writeFileAtomic } from '../util/atomic.js';

/** What a volume looked like when this site last read it whole and found it matching SHA256SUMS. */
interface VolumeIdentity {
  file: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

interface VerifiedRecord {
  bundle: string;
  dir: string;
  verifiedAt: string;
  volumes: VolumeIdentity[];
}

function recordFile(home: string, bundleDigest: string): string {
  return path.join(home, 'verified', `${bundleDigest.replace('sha256:', '')}.json`);
}

async function identities(dir: string, files: readonly string[]): Promise<VolumeIdentity[] | null> {
  const out: VolumeIdentity[] = [];
  for (const file of files) {
    const stat = await fsp.stat(path.join(dir, file)).catch(() => null);
    if (!stat) return null;
    out.push({ file, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino });
  }
  return out;
}

/** Notes a full verification that found nothing wrong, so resuming this import need not read every volume again. */
export async function rememberVerified(home: string, report: VerifyReport): Promise<void> {
  const volumes = await identities(
    report.dir,
    report.index.volumes.map((v) => v.file),
  );
  if (!volumes || !report.ok) return;
  await fsp.mkdir(path.join(home, 'verified'), { recursive: true });
  const record: VerifiedRecord = { bundle: report.bundleDigest, dir: report.dir, verifiedAt: new Date().toISOString(), volumes };
  await writeFileAtomic(recordFile(home, report.bundleDigest), JSON.stringify(record, null, 2));
}

/**
 * The report of an earlier full verification of this bundle in this folder, when the signature
 * still verifies with a trusted key and every volume is the same file (size, mtime, inode) as then.
 * Manifests are re-read and re-hashed; blobs are checked where they land (the registry's digest
 * check, the store's re-hash). Null means: verify in full.
 */
export async function reuseVerification(home: string, dir: string, trusted: readonly TrustedKey[]): Promise<(VerifyReport & { verifiedAt: string }) | null> {
  const opened = await openBundle(dir, trusted);
  if (!opened.signer.trusted) return null;
  let record: VerifiedRecord;
  try {
    record = JSON.parse(await fsp.readFile(recordFile(home, opened.bundleDigest), 'utf8')) as VerifiedRecord;
  } catch {
    return null;
  }
  const now = await identities(
    dir,
    opened.index.volumes.map((v) => v.file),
  );
  if (record.dir !== dir || !now || JSON.stringify(now) !== JSON.stringify(record.volumes)) return null;
  const bundle = new BundleStore(new VolumeSet(dir, opened.index.volumes), opened.index.blobs);
  const manifests = new Map<string, Buffer>();
  for (const artifact of opened.index.artifacts) {
    const blob = opened.index.blobs.find((b) => b.digest === artifact.digest);
    if (!blob || blob.size !== artifact.size) return null;
    const bytes = await fetchAll(bundle, blob);
    if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== artifact.digest) return null;
    manifests.set(artifact.digest, bytes);
  }
  return {
    ok: true,
    dir,
    name: opened.index.name,
    bundleDigest: opened.bundleDigest,
    signer: opened.signer,
    volumes: opened.index.volumes.map((v) => ({ file: v.file, size: v.size, expected: v.sha256, status: 'ok' as const, actual: v.sha256 })),
    deep: false,
    problems: [],
    index: opened.index,
    manifests,
    verifiedAt: record.verifiedAt,
  };
}

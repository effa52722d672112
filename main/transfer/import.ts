import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { BundleArtifact } from '../../shared/bundle.js';
import { verifyBundle, refusalOf, type VerifyReport } from '../bundle/verify.js';
import { VolumeSet } from '../bundle/volume-set.js';
import type { Progress } from '../bundle/write.js';
import type { Engine } from '../engine.js';
import { listTrustedKeys, type TrustedKey } from '../keys/keys.js';
import { parseCheckpoint, verifyCheckpoint } from '../ledger/checkpoint.js';
import { installModel } from '../ollama/install.js';
import { FerryError, toEnvelope } from '../util/errors.js';

export interface ImportRequest {
  dir: string;
  /** Keys named for this run (--trust), beside those pinned under FERRY_HOME. */
  trust: TrustedKey[];
  toOllamaStore?: string;
}

export interface ImportedArtifact {
  kind: BundleArtifact['kind'];
  ref: string;
  digest: string;
  status: 'imported' | 'skipped';
  destination?: string;
  modelId?: string;
  blobsWritten?: number;
  blobsAlreadyPresent?: number;
  reason?: string;
}

export interface ImportResult {
  job: string;
  bundleDigest: string;
  signer: VerifyReport['signer'];
  artifacts: ImportedArtifact[];
}

/** Keys pinned with `ferry keys trust` plus those named for this run, without duplicates. */
export async function trustedKeysFor(engine: Engine, extra: readonly TrustedKey[]): Promise<TrustedKey[]> {
  const pinned = await listTrustedKeys(engine.home);
  const all = [...pinned];
  for (const key of extra) if (!all.some((k) => k.fingerprint === key.fingerprint)) all.push(key);
  return all;
}

/** The exporter's checkpoint carried in the bundle, checked against the signer's pinned key, as the importer records it. */
function witnessedCheckpoint(report: VerifyReport, signerKeyPem: string) {
  const { checkpoint, checkpointSignature } = report.index.ledger;
  let ledgerId: string | null = null;
  try {
    ledgerId = parseCheckpoint(checkpoint).ledgerId;
  } catch {
    // A malformed checkpoint is recorded as such (checkpointValid: false), not fatal to the import.
  }
  return {
    checkpoint,
    checkpointSignature,
    checkpointValid: verifyCheckpoint(checkpoint, Buffer.from(checkpointSignature, 'base64'), signerKeyPem),
    ledgerId,
    lines: report.index.ledger.lines.length,
    previousBundle: report.index.previousBundle,
  };
}

async function ensureOllamaStore(store: string): Promise<void> {
  await fsp.mkdir(store, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    throw new FerryError('IO', `Cannot create the Ollama store folder ${store}: ${err.code ?? err.message}. Check that the share is mounted and writable.`, { file: store });
  });
}

/**
 * Verifies a bundle (signature by a pinned key, every volume, the tar structure) and only then
 * writes each artifact into its target, straight from the volumes, re-hashing every blob.
 */
export async function runImport(engine: Engine, request: ImportRequest, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<ImportResult> {
  if (!request.toOllamaStore) throw new FerryError('USAGE', 'Name where to import: --to-ollama-store DIR.');
  const dir = path.resolve(request.dir);
  const store = path.resolve(request.toOllamaStore);
  const job = randomUUID();
  const trusted = await trustedKeysFor(engine, request.trust);
  let report: VerifyReport;
  try {
    report = await verifyBundle(dir, { trusted, ...opts });
  } catch (err) {
    const envelope = toEnvelope(err);
    engine.ledger.append('import.rejected', { job, dir, reason: { code: envelope.code, message: envelope.message } });
    throw err;
  }
  const refusal = refusalOf(report);
  if (refusal) {
    engine.ledger.append('import.rejected', {
      job,
      dir,
      bundle: report.bundleDigest,
      signer: report.signer,
      problems: report.problems.map((p) => ({ code: p.code, message: p.message, ...(p.volume ? { volume: p.volume } : {}) })),
    });
    throw refusal;
  }
  const signerKey = trusted.find((k) => k.fingerprint === report.signer.fingerprint)!;
  engine.ledger.append('import.verified', {
    job,
    dir,
    bundle: report.bundleDigest,
    name: report.name,
    signer: report.signer,
    volumes: report.volumes.map((v) => ({ file: v.file, sha256: v.expected, result: v.status })),
    exporter: witnessedCheckpoint(report, signerKey.publicKeyPem),
  });
  const artifacts: ImportedArtifact[] = [];
  try {
    await ensureOllamaStore(store);
    engine.ledger.append('import.started', { job, bundle: report.bundleDigest, targets: { ollamaStore: store } });
    const set = new VolumeSet(dir, report.index.volumes);
    const blobs = report.index.blobs.map((b) => ({ digest: b.digest, size: b.size, open: async () => set.readRange(b.offset, b.size) }));
    const total = report.index.artifacts.filter((a) => a.kind === 'ollama-model').reduce((sum, a) => sum + a.contentSize - a.size, 0);
    let bytesDone = 0;
    for (const artifact of report.index.artifacts) {
      if (artifact.kind !== 'ollama-model') {
        artifacts.push({ kind: artifact.kind, ref: artifact.ref, digest: artifact.digest, status: 'skipped', reason: `no target for ${artifact.kind} artifacts in this version` });
        continue;
      }
      const installed = await installModel(store, {
        ref: artifact.ref,
        manifestBytes: report.manifests.get(artifact.digest)!,
        blobs,
        ...(opts.signal ? { signal: opts.signal } : {}),
        onBytes: (n) => {
          bytesDone += n;
          opts.onProgress?.({ bytesDone, bytesTotal: total, item: artifact.ref });
        },
      });
      artifacts.push({
        kind: artifact.kind,
        ref: artifact.ref,
        digest: installed.manifestDigest,
        status: 'imported',
        destination: installed.manifestPath,
        modelId: installed.modelId,
        blobsWritten: installed.written.length,
        blobsAlreadyPresent: installed.skipped.length,
      });
    }
    engine.ledger.append('import.completed', {
      job,
      bundle: report.bundleDigest,
      artifacts: artifacts.map((a) => ({ kind: a.kind, ref: a.ref, status: a.status, ...(a.destination ? { destination: a.destination, digest: a.digest } : {}) })),
    });
    const checkpoint = engine.ledger.checkpoint(engine.siteKey);
    engine.ledger.append('checkpoint', { job, count: checkpoint.count, head: checkpoint.head, signature: checkpoint.signature.toString('base64') });
    return { job, bundleDigest: report.bundleDigest, signer: report.signer, artifacts };
  } catch (err) {
    const envelope = toEnvelope(err);
    engine.ledger.append(envelope.code === 'CANCELLED' ? 'import.cancelled' : 'import.failed', { job, bundle: report.bundleDigest, error: { code: envelope.code, message: envelope.message } });
    throw err;
  }
}

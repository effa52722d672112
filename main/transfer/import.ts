import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { verifyBundle, refusalOf, type VerifyReport } from '../bundle/verify.js';
import { VolumeSet } from '../bundle/volume-set.js';
import { BundleStore } from '../bundle/bundle-store.js';
import type { Progress } from '../util/progress.js';
import type { Engine } from '../engine.js';
import { listTrustedKeys, readTrustFiles, type TrustedKey } from '../keys/keys.js';
import { parseCheckpoint, verifyCheckpoint } from '../ledger/checkpoint.js';
import { RegistryClient } from '../registry/client.js';
import { credentialSource, type CredentialSource } from '../registry/credentials.js';
import { planDestinations, pushArtifacts } from '../registry/push.js';
import { parseRegistryTarget, readRelocationMap, type RegistryTarget, type RelocationMap } from '../registry/reference.js';
import { UploadSessions } from '../registry/upload-sessions.js';
import { valuesSnippet } from '../registry/values.js';
import { writeFileAtomic } from '../util/atomic.js';
import { pausedBy } from '../util/pause.js';
import type { ImportRequest, RegistryTargetRequest } from '../../shared/contract/job-kinds.js';
import {
  assignLocalTargets,
  dirTarget,
  hfCacheTarget,
  installerTarget,
  installLocal,
  isInstaller,
  ollamaStoreTarget,
  preflightLocal,
  type ImportedArtifact,
  type LocalTarget,
} from './local-targets.js';
import type { PreflightReport } from './preflight.js';
import { rememberVerified, reuseVerification } from './verified-before.js';

export type { ImportedArtifact } from './local-targets.js';

const TARGET_FLAG: Record<ImportedArtifact['kind'], string> = {
  'ollama-model': '--to-ollama-store',
  'hf-repo': '--to-hf-cache',
  files: '--to-dir',
  image: 'images go to a registry',
  'helm-chart': 'charts go to a registry',
};
import { FerryError, toEnvelope } from '../util/errors.js';

/** What an import run uses beyond its request; credentials stay in memory. */
export interface ImportContext {
  /** Cancel now (verification, store installs) and, for pushes, stop at the next chunk boundary. */
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  credentials?: CredentialSource;
}

export interface ImportResult {
  job: string;
  bundleDigest: string;
  signer: VerifyReport['signer'];
  artifacts: ImportedArtifact[];
  /** Folders of a target that are links leading out of it on purpose (an Ollama store's blobs/ on another disk), used as they are. */
  linkedFolders?: { folder: string; to: string }[];
  /** The Helm values snippet, when the import pushed to a registry. */
  values?: string;
  valuesFile?: string;
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
    // The exporter's own lines for this bundle (request, approval, start), signed with the bundle: the far side can show who approved.
    lines: report.index.ledger.lines,
    previousBundle: report.index.previousBundle,
  };
}

/** The folders on this side the request names, one per artifact kind. */
function localTargets(request: ImportRequest): LocalTarget[] {
  return [
    ...(request.toOllamaStore ? [ollamaStoreTarget(path.resolve(request.toOllamaStore))] : []),
    ...(request.toHfCache ? [hfCacheTarget(path.resolve(request.toHfCache))] : []),
    ...(request.saveInstaller ? [installerTarget(path.resolve(request.saveInstaller))] : []),
    ...(request.toDir ? [dirTarget(path.resolve(request.toDir))] : []),
  ];
}

/**
 * Verifies a bundle (signature by a pinned key, every volume, the tar structure) and only then
 * writes each artifact into its targets, straight from the volumes: Ollama models into a store
 * (re-hashing every blob), everything into a registry (the registry checks every digest).
 */
export async function runImport(engine: Engine, request: ImportRequest, opts: ImportContext = {}): Promise<ImportResult> {
  const locals = localTargets(request);
  const target = request.toRegistry ? parseRegistryTarget(request.toRegistry.target) : null;
  if (locals.length === 0 && !target) {
    throw new FerryError(
      'USAGE',
      'Name where to import: --to-ollama-store DIR, --to-hf-cache DIR, --to-dir DIR, --save-installer DIR and/or --to-registry HOST[/PREFIX].',
    );
  }
  const dir = path.resolve(request.dir);
  const job = randomUUID();
  const trusted = await trustedKeysFor(engine, await readTrustFiles(request.trust ?? []));
  const map = request.toRegistry?.mapFile ? await readRelocationMap(request.toRegistry.mapFile) : [];
  const targets = { ...Object.fromEntries(locals.map((t) => [t.name, t.dir])), ...(target ? { registry: request.toRegistry!.target } : {}) };
  if (target && request.toRegistry) {
    try {
      await checkRegistryAnswers(target, request.toRegistry, opts);
    } catch (err) {
      const envelope = toEnvelope(err);
      engine.ledger.append('import.rejected', { job, dir, targets, reason: { code: envelope.code, message: envelope.message } });
      throw err;
    }
  }
  let report: VerifyReport;
  let verifiedAt: string | null;
  try {
    const earlier = await reuseVerification(engine.home, dir, trusted);
    verifiedAt = earlier?.verifiedAt ?? null;
    // deep: every blob is hashed in the same read as its volume, so a lying blob is refused before any target is touched.
    report =
      earlier ??
      (await verifyBundle(dir, {
        trusted,
        deep: true,
        ...(opts.signal ? { signal: opts.signal } : {}),
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      }));
  } catch (err) {
    const envelope = toEnvelope(err);
    const reason = { code: envelope.code, message: envelope.message };
    // Stopped by the user (Cancel or Pause) is not a refusal: the auditor must not read it as a bad bundle.
    if (envelope.code === 'CANCELLED') engine.ledger.append(pausedBy(opts.signal) ? 'import.paused' : 'import.cancelled', { job, dir, targets, error: reason });
    else engine.ledger.append('import.rejected', { job, dir, reason });
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
  if (!verifiedAt) await rememberVerified(engine.home, report);
  engine.ledger.append('import.verified', {
    job,
    dir,
    bundle: report.bundleDigest,
    name: report.name,
    signer: report.signer,
    volumes: report.volumes.map((v) => ({ file: v.file, size: v.size, sha256: v.expected, result: v.status })),
    // A resumed import trusts the full read it made earlier, of the very same volume files.
    ...(verifiedAt ? { volumesReadInFullAt: verifiedAt } : {}),
    exporter: witnessedCheckpoint(report, signerKey.publicKeyPem),
  });
  const work = assignLocalTargets(report.index.artifacts, locals);
  let preflight: PreflightReport;
  try {
    // Where every artifact lands in the registry (and no two on one tag) is settled before any local target is written.
    if (target) planDestinations(report.index.artifacts, target, map);
    preflight = await preflightLocal(work, report.manifests);
  } catch (err) {
    const envelope = toEnvelope(err);
    engine.ledger.append('import.rejected', {
      job,
      dir,
      bundle: report.bundleDigest,
      signer: report.signer,
      targets,
      reason: { code: envelope.code, message: envelope.message },
    });
    throw err;
  }
  const linkedFolders = preflight.linkedOut.map((l) => ({ folder: l.folder, to: l.to }));
  try {
    engine.ledger.append('import.started', { job, bundle: report.bundleDigest, targets, ...(linkedFolders.length > 0 ? { linkedFolders } : {}) });
    const blobs = new BundleStore(new VolumeSet(dir, report.index.volumes), report.index.blobs);
    const artifacts = await installLocal(work, report.manifests, blobs, opts);
    let values: { text: string; file?: string } | undefined;
    let recovery: PushRecovery | undefined;
    if (target) {
      const pushed = await pushToRegistry(engine, report, blobs, { ...request.toRegistry!, map }, target, opts);
      artifacts.push(...pushed.artifacts);
      values = pushed.values;
      recovery = pushed.recovery;
    }
    for (const a of report.index.artifacts) {
      if (!artifacts.some((done) => done.ref === a.ref && done.kind === a.kind)) {
        const reason = isInstaller(a)
          ? "Ferry's own installer, kept aside: save it from the import's Done page, or with --save-installer DIR (or --to-dir, with the files)"
          : `no target given for ${a.kind} artifacts (${TARGET_FLAG[a.kind]}, or --to-registry, which takes every kind)`;
        artifacts.push({
          kind: a.kind,
          ref: a.ref,
          digest: a.digest,
          status: 'skipped',
          reason,
          ...(isInstaller(a) ? { installer: String(a.installer) } : {}),
        });
      }
    }
    engine.ledger.append('import.completed', {
      job,
      bundle: report.bundleDigest,
      artifacts: artifacts.map((a) => ({
        kind: a.kind,
        ref: a.ref,
        status: a.status,
        ...(a.target ? { target: a.target } : {}),
        ...(a.destination ? { destination: a.destination, digest: a.digest } : {}),
      })),
      ...(recovery && (recovery.resumed.length > 0 || recovery.restarted.length > 0) ? { push: recovery } : {}),
    });
    const checkpoint = engine.ledger.checkpoint(engine.siteKey);
    engine.ledger.append('checkpoint', { job, count: checkpoint.count, head: checkpoint.head, signature: checkpoint.signature.toString('base64') });
    return {
      job,
      bundleDigest: report.bundleDigest,
      signer: report.signer,
      artifacts,
      ...(linkedFolders.length > 0 ? { linkedFolders } : {}),
      ...(values ? { values: values.text, ...(values.file ? { valuesFile: values.file } : {}) } : {}),
    };
  } catch (err) {
    const envelope = toEnvelope(err);
    const type = envelope.details?.paused || pausedBy(opts.signal) ? 'import.paused' : envelope.code === 'CANCELLED' ? 'import.cancelled' : 'import.failed';
    engine.ledger.append(type, { job, bundle: report.bundleDigest, targets, error: { code: envelope.code, message: envelope.message } });
    throw err;
  }
}

/** Before the long read: the registry answers its v2 API and takes these credentials (a wrong password is named in seconds, not after the verification). */
async function checkRegistryAnswers(target: RegistryTarget, request: RegistryTargetRequest, opts: ImportContext): Promise<void> {
  const client = new RegistryClient(target.registry, opts.credentials ?? credentialSource(), request.access ?? {});
  try {
    await client.ping(opts.signal);
  } finally {
    await client.close();
  }
}

/** Evidence of how a push went, for the ledger: blobs continued from the registry's offset, and blobs started over. */
interface PushRecovery {
  resumed: { blob: string; offset: number }[];
  restarted: { blob: string; reason: string }[];
}

async function pushToRegistry(
  engine: Engine,
  report: VerifyReport,
  blobs: BundleStore,
  request: RegistryTargetRequest & { map: RelocationMap },
  target: RegistryTarget,
  opts: ImportContext,
) {
  const client = new RegistryClient(target.registry, opts.credentials ?? credentialSource(), request.access ?? {});
  try {
    const recovery: PushRecovery = { resumed: [], restarted: [] };
    const artifacts = report.index.artifacts.map((a) => ({
      kind: a.kind,
      ref: a.ref,
      mediaType: a.mediaType,
      digest: a.digest,
      manifest: report.manifests.get(a.digest)!,
    }));
    const pushed = await pushArtifacts(artifacts, {
      target,
      map: request.map,
      client,
      sessions: new UploadSessions(path.join(engine.home, 'uploads')),
      blobs,
      ...(request.concurrency ? { concurrency: request.concurrency } : {}),
      ...(request.chunkSize ? { chunkSize: request.chunkSize } : {}),
      ...(opts.signal ? { stop: opts.signal } : {}),
      onProgress: (p) => opts.onProgress?.({ bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, item: p.item, active: p.active }),
      onEvent: (e) => {
        if (e.type === 'resumed') recovery.resumed.push({ blob: e.digest, offset: e.offset });
        if (e.type === 'restarted') recovery.restarted.push({ blob: e.digest, reason: e.reason });
      },
    });
    const text = valuesSnippet(pushed, { bundleDigest: report.bundleDigest, target: request.target, ferryVersion: engine.ferryVersion });
    if (request.valuesOut) await writeFileAtomic(path.resolve(request.valuesOut), text);
    return {
      artifacts: pushed.map((p): ImportedArtifact => ({
        kind: p.kind,
        ref: p.ref,
        digest: p.digest,
        status: 'imported',
        target: 'registry',
        destination: p.destination,
        blobsWritten: p.blobsUploaded,
        blobsAlreadyPresent: p.blobsPresent,
        ...(p.pull ? { pull: p.pull } : {}),
      })),
      values: { text, ...(request.valuesOut ? { file: path.resolve(request.valuesOut) } : {}) },
      recovery,
    };
  } finally {
    await client.close();
  }
}

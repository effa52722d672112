import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { prepareBundle, readBundle, refusalOf, type PreparedBundle, type VerifyReport } from '../bundle/verify.js';
import type { BlobRoutes } from '../bundle/read-once.js';
import { fanOut, type BlobSink, type StagedInstall } from '../content/staged.js';
import type { BundleArtifact } from '../../shared/bundle.js';
import type { Progress } from '../util/progress.js';
import type { Engine } from '../engine.js';
import { readTrustFiles } from '../keys/keys.js';
import { parseCheckpoint, verifyCheckpoint } from '../ledger/checkpoint.js';
import type { CredentialSource } from '../registry/credentials.js';
import { parseRegistryTarget, readRelocationMap } from '../registry/reference.js';
import { attestedFields } from '../provenance/attest-push.js';
import { stageRegistryPush } from './registry-target.js';
import { pausedBy } from '../util/pause.js';
import type { ImportRequest } from '../../shared/contract/job-kinds.js';
import {
  assignLocalTargets,
  dirTarget,
  hfCacheTarget,
  installerTarget,
  isInstaller,
  ollamaStoreTarget,
  preflightLocal,
  stageLocal,
  type ImportedArtifact,
  type LocalTarget,
} from './local-targets.js';

export type { ImportedArtifact } from './local-targets.js';

const TARGET_FLAG: Record<ImportedArtifact['kind'], string> = {
  'ollama-model': '--to-ollama-store',
  'hf-repo': '--to-hf-cache',
  files: '--to-dir',
  image: 'images go to a registry',
  'helm-chart': 'charts go to a registry',
};
import { FerryError, toEnvelope } from '../util/errors.js';
import { FoldersMade } from '../util/folders-made.js';
import { overriddenKey } from './import-override.js';
import { trustedKeysFor } from './trusted-keys.js';

/** What an import run uses beyond its request; credentials stay in memory. */
export interface ImportContext {
  /** Cancel now (verification, store installs) and, for pushes, stop at the next chunk boundary. */
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** What a stalled import waits for ("the registry is not answering: retry 2 of 5 in 8 s"), or undefined once it moves again. */
  onWaiting?: (text: string | undefined) => void;
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

/** The phase names a person reads on the progress line, in order. */
const PHASES = {
  open: 'Checking the signature and the bundle index',
  registry: 'Checking the registry and the rights to push',
  targets: 'Checking the targets',
  commit: 'Making the import visible: manifests, links, tags',
};

/**
 * Imports a bundle in one read of its volumes. First, in seconds: the registry answers and takes
 * the credentials, the signature (by a pinned key), BUNDLE.json and the manifests, every target's
 * plan. Then each volume is read once: its sha256, the tar stream, every blob's digest, and every
 * blob's bytes on their way into the targets' temp files and uploads. Only when every volume and
 * blob matched is anything committed (renames, links, refs, manifests, tags); a refusal removes
 * the temp files and leaves uploaded blobs unreferenced in the registry.
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
  const override = request.override ? await overriddenKey(engine, request.override.seq, dir) : undefined;
  const trusted = await trustedKeysFor(engine, [...(await readTrustFiles(request.trust ?? [], [dir])), ...(override ? [override.key] : [])]);
  const map = request.toRegistry?.mapFile ? await readRelocationMap(request.toRegistry.mapFile) : [];
  const targets = { ...Object.fromEntries(locals.map((t) => [t.name, t.dir])), ...(target ? { registry: request.toRegistry!.target } : {}) };
  const say = (phase: string, item = '') => opts.onProgress?.({ bytesDone: 0, bytesTotal: 0, item, phase });
  const reject = (details: Record<string, unknown>) => engine.ledger.append('import.rejected', { job, dir, ...details });
  const stoppedOrRejected = (err: unknown, details: Record<string, unknown>) => {
    const envelope = toEnvelope(err);
    const reason = { code: envelope.code, message: envelope.message };
    // Stopped by the user (Cancel or Pause) is not a refusal: the auditor must not read it as a bad bundle.
    if (envelope.code === 'CANCELLED') engine.ledger.append(pausedBy(opts.signal) ? 'import.paused' : 'import.cancelled', { job, dir, targets, error: reason });
    else reject({ ...details, targets, reason });
  };

  let prepared: PreparedBundle;
  try {
    say(PHASES.open);
    prepared = await prepareBundle(dir, trusted);
    if (opts.signal?.aborted)
      throw new FerryError('CANCELLED', 'The import was stopped before any volume was read; nothing was written. Resume it to continue.');
  } catch (err) {
    stoppedOrRejected(err, {});
    throw err;
  }
  const { opened, manifests } = prepared;
  const bundle = { bundle: opened.bundleDigest, signer: opened.signer };
  if (override && override.bundle !== opened.bundleDigest) {
    const refused = new FerryError(
      'UNTRUSTED',
      `The override at ledger line ${request.override!.seq} approved bundle ${override.bundle}, not ${opened.bundleDigest}.`,
      {
        seq: request.override!.seq,
      },
    );
    reject({ ...bundle, problems: [{ code: refused.code, message: refused.message }] });
    throw refused;
  }
  const untrusted = prepared.problems.find((p) => p.code === 'UNTRUSTED');
  if (untrusted) {
    reject({ ...bundle, problems: [{ code: untrusted.code, message: untrusted.message }] });
    throw refusalOf({ problems: [untrusted], signer: opened.signer })!;
  }

  const work = assignLocalTargets(opened.index.artifacts, locals);
  const staged: StagedInstall<ImportedArtifact[]>[] = [];
  let registryPush: Awaited<ReturnType<typeof stageRegistryPush>> | undefined;
  let linkedFolders: { folder: string; to: string }[] = [];
  const targetFolders = new FoldersMade();
  // Last staged first: an install that made a folder removes it only once the later ones emptied it; then the targets made for this import.
  const discardAll = async () => {
    for (const s of [...staged].reverse()) await s.discard().catch(() => undefined);
    await targetFolders.removeEmpty();
  };
  // A manifest that lies is refused after the read, which names the volume; nothing is staged for it.
  if (prepared.problems.length === 0) {
    try {
      if (target) {
        say(PHASES.registry, request.toRegistry!.target);
        // Where every artifact lands (no two on one tag), the registry and the rights to push: settled before any local target is written.
        registryPush = await stageRegistryPush(engine, opened, manifests, prepared.blobs, { ...request.toRegistry!, map }, target, opts);
      }
      say(PHASES.targets);
      const preflight = await preflightLocal(work, manifests);
      linkedFolders = preflight.linkedOut.map((l) => ({ folder: l.folder, to: l.to }));
      for (const s of await stageLocal(work, manifests, prepared.blobs, { ...opts, made: targetFolders })) staged.push(asList(s));
      if (registryPush) staged.push(registryPush.staged);
    } catch (err) {
      await discardAll();
      await registryPush?.close();
      stoppedOrRejected(err, bundle);
      throw err;
    }
  }

  let report: VerifyReport;
  try {
    engine.ledger.append('import.started', { job, bundle: opened.bundleDigest, targets, ...(linkedFolders.length > 0 ? { linkedFolders } : {}) });
    report = await readBundle(prepared, {
      deep: true,
      routes: routesOf(staged, opened.index.artifacts, manifests, registryPush?.staged),
      stoppedMessage: 'The import was stopped before every volume was read; nothing was committed. Resume it to continue.',
      ...(request.toRegistry?.concurrency ? { endsInFlight: request.toRegistry.concurrency } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  } catch (err) {
    await discardAll();
    await registryPush?.close();
    const envelope = toEnvelope(err);
    const type = envelope.details?.paused || pausedBy(opts.signal) ? 'import.paused' : envelope.code === 'CANCELLED' ? 'import.cancelled' : 'import.failed';
    engine.ledger.append(type, { job, bundle: opened.bundleDigest, targets, error: { code: envelope.code, message: envelope.message } });
    throw err;
  }
  const refusal = refusalOf(report);
  if (refusal) {
    await discardAll();
    await registryPush?.close();
    reject({
      ...bundle,
      problems: report.problems.map((p) => ({
        code: p.code,
        message: p.message,
        ...(p.volume ? { volume: p.volume } : {}),
        ...(p.blob ? { blob: p.blob } : {}),
      })),
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
    volumes: report.volumes.map((v) => ({ file: v.file, size: v.size, sha256: v.expected, result: v.status })),
    exporter: witnessedCheckpoint(report, signerKey.publicKeyPem),
  });
  try {
    say(PHASES.commit);
    // The registry first: its commit can be refused by another machine; a local rename rarely fails.
    // A refusal there leaves every local target as it was.
    const committed = new Map<StagedInstall<ImportedArtifact[]>, ImportedArtifact[]>();
    const remoteFirst = registryPush ? [registryPush.staged, ...staged.filter((s) => s !== registryPush!.staged)] : staged;
    for (const s of remoteFirst) committed.set(s, await s.commit());
    const artifacts = staged.flatMap((s) => committed.get(s)!);
    artifacts.push(...skippedArtifacts(report.index.artifacts, artifacts));
    const values = registryPush ? await registryPush.values(report.bundleDigest) : undefined;
    const recovery = registryPush?.recovery;
    engine.ledger.append('import.completed', {
      job,
      bundle: report.bundleDigest,
      artifacts: artifacts.map((a) => ({
        kind: a.kind,
        ref: a.ref,
        status: a.status,
        ...(a.target ? { target: a.target } : {}),
        ...(a.destination ? { destination: a.destination, digest: a.digest } : {}),
        ...attestedFields(a),
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
    await discardAll();
    const envelope = toEnvelope(err);
    engine.ledger.append('import.failed', { job, bundle: report.bundleDigest, targets, error: { code: envelope.code, message: envelope.message } });
    throw err;
  } finally {
    await registryPush?.close();
  }
}

/** Each local install reports one row; the registry's, one per artifact. */
function asList(staged: StagedInstall<ImportedArtifact>): StagedInstall<ImportedArtifact[]> {
  return { ...staged, commit: async () => [await staged.commit()] };
}

/** Artifacts no target took, with why (the installer is kept aside; a kind without its target). */
function skippedArtifacts(all: readonly BundleArtifact[], done: readonly ImportedArtifact[]): ImportedArtifact[] {
  return all
    .filter((a) => !done.some((d) => d.ref === a.ref && d.kind === a.kind))
    .map((a) => ({
      kind: a.kind,
      ref: a.ref,
      digest: a.digest,
      status: 'skipped' as const,
      reason: isInstaller(a)
        ? "Ferry's own installer, kept aside: save it from the import's Done page, or with --save-installer DIR (or --to-dir, with the files)"
        : `no target given for ${a.kind} artifacts (${TARGET_FLAG[a.kind]}, or --to-registry, which takes every kind)`,
      ...(isInstaller(a) ? { installer: String(a.installer) } : {}),
    }));
}

/** Every blob to every staged install that needs it, and the user's words for what is being read; a push says how far its blobs are. */
function routesOf(
  staged: readonly StagedInstall<unknown>[],
  artifacts: readonly BundleArtifact[],
  manifests: ReadonlyMap<string, Buffer>,
  push: Pick<BlobRoutes, 'describe' | 'active'> | undefined,
): BlobRoutes {
  const owners = blobOwners(artifacts, manifests);
  return {
    async open(digest) {
      const sinks: BlobSink[] = [];
      for (const s of staged) if (s.needs.has(digest)) sinks.push(await s.open(digest));
      return sinks.length > 0 ? fanOut(sinks) : undefined;
    },
    describe: () => push?.describe?.() ?? (staged.length > 0 ? ' and installing' : ''),
    itemOf: (digest) => owners.get(digest),
    ...(push?.active ? { active: push.active } : {}),
  };
}

/**
 * What each blob is, in the words of the user's picks: the artifact's ref, and for a file of a
 * files artifact or a Hugging Face repo, the file's path in it (`acme/tiny@main › config.json`).
 */
function blobOwners(artifacts: readonly BundleArtifact[], manifests: ReadonlyMap<string, Buffer>): Map<string, string> {
  type Layer = { digest?: string; annotations?: Record<string, string> };
  const owners = new Map<string, string>();
  for (const artifact of artifacts) {
    owners.set(artifact.digest, artifact.ref);
    let manifest: { config?: Layer; layers?: Layer[]; manifests?: Layer[] } = {};
    try {
      manifest = JSON.parse(manifests.get(artifact.digest)?.toString('utf8') ?? '{}');
    } catch {
      // checked before the read; a name is only for the progress line
    }
    for (const layer of [manifest.config, ...(manifest.layers ?? []), ...(manifest.manifests ?? [])]) {
      if (!layer?.digest || owners.has(layer.digest)) continue;
      const file = layer.annotations?.['org.opencontainers.image.title'] ?? layer.annotations?.['org.cncf.model.filepath'];
      owners.set(layer.digest, file ? `${artifact.ref} › ${file}` : artifact.ref);
    }
  }
  return owners;
}

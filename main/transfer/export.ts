import fsp from 'node:fs/promises';
import os from 'node:os';
import type { BundleIndex, BundleVolume } from '../../shared/bundle.js';
import type { ExportRequest } from '../../shared/contract/job-kinds.js';
import { planBundle, sha256Digest, type ArtifactInput, type BundlePlan, type DigestMode } from '../bundle/plan.js';
import { attachedArtifacts } from '../provenance/attached.js';
import { withVolumesKept, writeBundleMetadata, writeVolumes } from '../bundle/write.js';
import { keptFiles, planFingerprint, readExportProgress, recheckKeptVolumes, recordFits, removeExportProgress, writeExportProgress } from '../bundle/resume.js';
import { bundleFolderOf, clearIncompleteBundle, prepareOutDir, reopenUnfinishedBundle } from './bundle-folder.js';
import { volumeFileNames } from '../bundle/volume-writer.js';
import { pausedBy } from '../util/pause.js';
import { eventOfLine } from '../ledger/chain.js';
import type { Progress } from '../util/progress.js';
import { formatBytes } from '../../shared/sizes.js';
import type { Engine } from '../engine.js';
import type { SiteKey } from '../keys/keys.js';
import { ollamaArtifact } from '../ollama/artifact.js';
import { readModel } from '../ollama/store.js';
import { FerryError, toEnvelope } from '../util/errors.js';
import { RegistryClients } from '../registry/clients.js';
import { credentialSource, type CredentialSource } from '../registry/credentials.js';
import { parsePlatform } from '../registry/manifest.js';
import { resolveArtifact, type PlatformChoice } from '../registry/pull.js';
import { parseReference } from '../registry/reference.js';
import { filesArtifact, installerFormat } from '../files/artifact.js';
import { hfArtifact } from '../hf/artifact.js';
import { RegistryStore } from '../registry/registry-store.js';
import { approvedExport, artifactSummary, recordRequest } from '../custody/approval.js';
import { ruleInLedger } from '../custody/rule.js';
import { resolveHfRevision } from '../hf/cache.js';
import { arrangeDiscs, type DiscFolder } from '../bundle/disc-layout.js';

/** What an export run uses beyond its request: credentials stay in memory, never in job state. */
export interface ExportContext {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  credentials?: CredentialSource;
}

/** What an export reads: the sources of an export request. */
export type ExportSources = Pick<
  ExportRequest,
  'store' | 'models' | 'images' | 'charts' | 'platforms' | 'hfCache' | 'hf' | 'files' | 'installer' | 'signatures'
>;

export interface ExportResult {
  job: string;
  dir: string;
  name: string;
  bundleDigest: string;
  volumes: BundleVolume[];
  artifacts: BundleIndex['artifacts'];
  tarSize: number;
  /** With the disc layout: which folder goes on which disc. */
  discs?: DiscFolder[];
  warnings?: string[];
}

/** Room kept free beyond the volumes for BUNDLE.json and the other small files. */
const METADATA_ALLOWANCE = 16 * 1024 * 1024;

/**
 * Reads the named models from the store and resolves images and charts on their registries, then
 * lays out the bundle. Registry blobs are not fetched yet: they stream into the volumes later.
 * With `digests: 'sizes'` (an estimate) plain files are not hashed: the plan's tarSize is the real
 * one's, but its file digests are stand-ins, so it must never be written or recorded.
 */
export async function planExport(
  request: ExportSources,
  clients: RegistryClients,
  opts: { signal?: AbortSignal; digests?: DigestMode; knownDigests?: Map<string, string> } = {},
): Promise<BundlePlan> {
  const { signal } = opts;
  const io = { ...(signal ? { signal } : {}), ...(opts.digests ? { digests: opts.digests } : {}) };
  const filesIo = { ...io, ...(opts.knownDigests ? { knownDigests: opts.knownDigests } : {}) };
  const artifacts: ArtifactInput[] = [];
  for (const name of request.models) artifacts.push(ollamaArtifact(await readModel(requiredSource(request.store, 'store'), name)));
  const choice: PlatformChoice = request.platforms.length > 0 ? request.platforms.map(parsePlatform) : 'all';
  const references = [...request.images.map((r) => ({ r, kind: 'image' as const })), ...request.charts.map((r) => ({ r, kind: 'helm-chart' as const }))];
  const warnings: string[] = [];
  for (const { r, kind } of references) {
    const ref = parseReference(r);
    const client = clients.get(ref.registry);
    const { input } = await resolveArtifact(client, ref, kind, kind === 'image' ? choice : 'all', signal);
    artifacts.push(input);
    if (request.signatures === false) continue;
    const attached = await attachedArtifacts(client, ref, sha256Digest(input.manifest), signal);
    artifacts.push(...attached.inputs);
    warnings.push(...attached.warnings);
  }
  for (const spec of request.hf)
    artifacts.push(await hfArtifact(await resolveHfRevision(requiredSource(request.hfCache, 'hfCache'), spec, signal ? { signal } : {}), io));
  for (const file of request.files) artifacts.push(await filesArtifact(file, filesIo));
  if (request.installer) artifacts.push(await filesArtifact(request.installer, { installer: installerFormat(request.installer), ...filesIo }));
  if (artifacts.length === 0)
    throw new FerryError(
      'USAGE',
      'Nothing to export: name at least one model (--ollama), image (--image), chart (--chart), Hugging Face repo (--hf) or file (--file).',
    );
  return { ...planBundle(artifacts), warnings };
}

/** The contract requires the store with models and the cache with repos; this says so to the type checker. */
function requiredSource(folder: string | undefined, field: 'store' | 'hfCache'): string {
  if (folder === undefined) throw new FerryError('USAGE', `${field}: missing.`, { field });
  return folder;
}

/** Clients for the registries an export reads from, with credentials found the way docker finds them. */
export function exportClients(request: Pick<ExportRequest, 'registry'>, credentials?: CredentialSource): RegistryClients {
  return new RegistryClients(credentials ?? credentialSource(), request.registry ?? {});
}

/** Bytes the destination needs for a plan: the volumes and the small files beside them. */
export function spaceNeeded(plan: BundlePlan): number {
  return plan.tarSize + METADATA_ALLOWANCE;
}

export async function freeSpace(dir: string): Promise<number> {
  const stats = await fsp.statfs(dir);
  return stats.bavail * stats.bsize;
}

export async function checkFreeSpace(dir: string, needed: number): Promise<void> {
  const available = await freeSpace(dir);
  if (available < needed) {
    throw new FerryError(
      'NO_SPACE',
      `${dir} has ${formatBytes(available)} free, but the bundle needs ${formatBytes(needed)}. Free some space, choose another destination, or carry fewer models.`,
      {
        file: dir,
        needed,
        available,
      },
    );
  }
}

function previousBundleDigest(engine: Engine): string | null {
  const last = engine.ledger.query({ type: 'export.completed', order: 'newest', limit: 1 })[0];
  const event = last ? eventOfLine(last.line) : undefined;
  return typeof event?.bundle === 'string' ? event.bundle : null;
}

/** What the bundle carries of the exporter's ledger: this job's lines and a signed checkpoint. */
function carriedLedger(engine: Engine, job: string): BundleIndex['ledger'] {
  const lines = [...engine.ledger.matching({ job })].map((m) => m.line);
  const checkpoint = engine.ledger.checkpoint(engine.siteKey);
  return { checkpoint: checkpoint.text, checkpointSignature: checkpoint.signature.toString('base64'), lines };
}

/** The signed metadata beside the volumes, then with the disc layout the volumes moved into their discs. */
async function signAndLayOut(out: string, index: BundleIndex, signer: SiteKey, layout: ExportRequest['layout']) {
  const { bundleDigest } = await writeBundleMetadata(out, index, signer);
  return { bundleDigest, discs: layout === 'discs' ? await arrangeDiscs(out, index.volumes) : undefined };
}

/**
 * Builds a signed bundle: reads the sources, plans the tar stream, checks free space, writes the
 * volumes in one pass, then the signed metadata. Every step is in the ledger. The volumes an earlier
 * run of the same export completed (paused or killed) are checked against their recorded sha256 and
 * kept: writing continues with the next volume, and the bundle comes out as an uninterrupted run writes it.
 */
export async function runExport(engine: Engine, request: ExportRequest, opts: ExportContext = {}): Promise<ExportResult> {
  const clients = exportClients(request, opts.credentials);
  try {
    return await exportWith(engine, request, clients, opts);
  } finally {
    await clients.close();
  }
}

async function exportWith(engine: Engine, request: ExportRequest, clients: RegistryClients, opts: ExportContext): Promise<ExportResult> {
  const out = bundleFolderOf(request);
  const name = request.name;
  const recorded = await readExportProgress(out);
  const knownDigests = new Map(Object.entries(recorded?.files ?? {}));
  const plan = await planExport(request, clients, { ...(opts.signal ? { signal: opts.signal } : {}), knownDigests });
  const fingerprint = planFingerprint(plan, name, request.volumeSize);
  const earlier = recordFits(recorded, fingerprint, volumeFileNames(name, plan.tarSize, request.volumeSize)) ? recorded : undefined;
  const approved = ruleInLedger(engine.ledger) ? approvedExport(engine, request, plan, request.approval) : null;
  const job = approved ? approved.job : (earlier?.job ?? recordRequest(engine, request, plan, false).job);
  // Whether this export made the folder, in this run or the one it continues: a Cancel then removes it.
  let created = earlier?.createdFolder === true;
  try {
    // A run that stopped after its last volume (while signing or laying out the bundle) left them in place: taken back to be checked.
    if (recorded) await reopenUnfinishedBundle(out, recorded);
    created = (await prepareOutDir(out, name, keptFiles(earlier))).created || created;
    const resume = earlier?.volumes.length ? await recheckKeptVolumes(out, plan, earlier.volumes, opts) : undefined;
    await checkFreeSpace(out, spaceNeeded(plan) - (resume?.startAt ?? 0));
    // This plan's files only: digests of files no longer carried are dropped.
    const planned = new Set(plan.entries.flatMap((e) => (e.source.kind === 'file' ? [e.source.path] : [])));
    const files = Object.fromEntries([...knownDigests].filter(([identity]) => planned.has(identity.split('\0')[0]!)));
    const recordVolumes = (volumes: readonly BundleVolume[]) =>
      writeExportProgress(out, { version: 1, job, plan: fingerprint, volumes: [...volumes], files, ...(created ? { createdFolder: true } : {}) });
    await recordVolumes(resume?.kept ?? []);
    engine.ledger.append('export.started', {
      job,
      tarSize: plan.tarSize,
      ...(approved ? { approvedBy: approved.approvedBy, approval: approved.approval } : {}),
      ...(resume ? { resumed: { volumes: resume.kept.length, bytes: resume.startAt } } : {}),
    });
    const volumes = await writeVolumes(plan, {
      dir: out,
      name,
      volumeSize: request.volumeSize,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      registry: (location) => new RegistryStore(clients.get(location.registry), location.repository, opts.signal),
      ...(resume ? { resume } : {}),
      onVolume: recordVolumes,
    });
    const index: BundleIndex = {
      formatVersion: 1,
      name,
      createdAt: new Date().toISOString(),
      createdBy: { operator: engine.operator.name, host: os.hostname(), ferryVersion: engine.ferryVersion },
      signer: engine.siteKey.fingerprint,
      previousBundle: previousBundleDigest(engine),
      volumeSize: request.volumeSize,
      volumes,
      tar: { size: plan.tarSize },
      artifacts: plan.artifacts,
      blobs: plan.blobs,
      ledger: carriedLedger(engine, job),
    };
    // Every volume is written: a failure from here on keeps them all, and the same export only signs and lays out again.
    const { bundleDigest, discs } = await signAndLayOut(out, index, engine.siteKey, request.layout).catch((err: unknown) => {
      throw withVolumesKept(err, volumes.length, volumes.length);
    });
    // Only now is nothing left to resume: until here a stop keeps every volume written.
    await removeExportProgress(out);
    engine.ledger.append('export.completed', {
      job,
      bundle: bundleDigest,
      name,
      dir: out,
      artifacts: artifactSummary(plan),
      volumes,
      ...(discs ? { discs: discs.map((d) => ({ folder: d.folder, volumes: d.volumes })) } : {}),
      ...(plan.warnings?.length ? { warnings: plan.warnings } : {}),
    });
    const checkpoint = engine.ledger.checkpoint(engine.siteKey);
    engine.ledger.append('checkpoint', { job, count: checkpoint.count, head: checkpoint.head, signature: checkpoint.signature.toString('base64') });
    return {
      job,
      dir: out,
      name,
      bundleDigest,
      volumes,
      artifacts: plan.artifacts,
      tarSize: plan.tarSize,
      ...(discs ? { discs } : {}),
      ...(plan.warnings?.length ? { warnings: plan.warnings } : {}),
    };
  } catch (err) {
    const envelope = toEnvelope(err);
    if (pausedBy(opts.signal) || envelope.details?.paused === true) {
      // Kept for Resume: the complete volumes and the record of them.
      const kept = envelope.details?.volumesKept;
      engine.ledger.append('export.paused', {
        job,
        error: { code: envelope.code, message: envelope.message },
        ...(typeof kept === 'number' ? { volumesKept: kept } : {}),
      });
      throw err;
    }
    const cancelled = envelope.code === 'CANCELLED';
    const kept = envelope.details?.volumesKept;
    engine.ledger.append(cancelled ? 'export.cancelled' : 'export.failed', {
      job,
      error: { code: envelope.code, message: envelope.message },
      ...(!cancelled && typeof kept === 'number' ? { volumesKept: kept } : {}),
    });
    // A Cancel removes what was written; a failure keeps the complete volumes and their record, for the same export to go on from.
    const record = cancelled ? undefined : await readExportProgress(out);
    const keep = record?.volumes.length ? keptFiles(record) : new Set<string>();
    const left = await clearIncompleteBundle(out, name, keep).catch(() => ['(unreadable)']);
    if (created && left.length === 0) await fsp.rmdir(out).catch(() => undefined);
    throw err;
  }
}

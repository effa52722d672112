import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BundleIndex, BundleVolume } from '../../shared/bundle.js';
import type { ExportRequest } from '../../shared/contract/job-kinds.js';
import { planBundle, sha256Digest, type ArtifactInput, type BundlePlan, type DigestMode } from '../bundle/plan.js';
import { attachedArtifacts } from '../provenance/attached.js';
import { BUNDLE_FILES, removePartials, withVolumesKept, writeBundleMetadata, writeVolumes } from '../bundle/write.js';
import {
  EXPORT_PROGRESS_FILE,
  type ExportProgressRecord,
  keptFiles,
  planFingerprint,
  readExportProgress,
  recheckKeptVolumes,
  recordFits,
  reopenRecordedVolumes,
  removeExportProgress,
  writeExportProgress,
} from '../bundle/resume.js';
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
import { arrangeDiscs, takeBackDiscs, type DiscFolder } from '../bundle/disc-layout.js';

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

/** The bundle folder an export request creates. */
export function bundleFolderOf(request: Pick<ExportRequest, 'destination' | 'folder' | 'name'>): string {
  return path.resolve(request.destination, request.folder ?? request.name);
}

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

/** Files an export of bundle `name` writes; SHA256SUMS.sig is last, so a folder without it is incomplete. */
function isOwnIncompleteBundle(files: string[], name: string): boolean {
  const ours = new Set(['BUNDLE.json', 'SHA256SUMS', 'VERIFY.txt', 'signer.pub.pem', EXPORT_PROGRESS_FILE]);
  const volume = new RegExp(`^${name.replace(/[.]/g, '\\.')}\\.tar\\.\\d{3,}$`);
  return !files.includes('SHA256SUMS.sig') && files.every((f) => ours.has(f) || volume.test(f));
}

/**
 * Removes what an interrupted or failed export of bundle `name` left in `out`: hidden partials, and
 * volumes or metadata without SHA256SUMS.sig, but the files in `keep` (what a resumed export
 * continues from). Anything else (a complete bundle, other files) stays. Returns what is left.
 */
async function clearIncompleteBundle(out: string, name: string, keep: ReadonlySet<string> = new Set()): Promise<string[]> {
  await removePartials(out, keep);
  const left = (await fsp.readdir(out)).filter((file) => !keep.has(file));
  if (left.length === 0 || !isOwnIncompleteBundle(left, name)) return left;
  for (const file of left) await fsp.rm(path.join(out, file), { force: true });
  return [];
}

/**
 * What an export that stopped after its last volume left, its record still beside it: the flat
 * folder's signature goes first, so nothing there passes for a bundle; then the discs' volumes come
 * back and every recorded volume gets its hidden name again, to be checked and kept.
 */
async function reopenUnfinishedBundle(out: string, record: ExportProgressRecord): Promise<void> {
  await fsp.rm(path.join(out, BUNDLE_FILES.signature), { force: true });
  await takeBackDiscs(
    out,
    record.volumes.map((v) => v.file),
  );
  await reopenRecordedVolumes(out, record);
}

/**
 * Removes what an export that will not be resumed left in its bundle folder (dismissed on Home):
 * its kept volumes under either name, the disc folders it was laying out, its progress record, and
 * the folder itself when the export made it and nothing else is in it. A complete bundle and
 * anything not the export's own stay. Undefined when the folder is gone.
 */
export async function removeUnfinishedExport(
  request: Pick<ExportRequest, 'destination' | 'folder' | 'name'>,
): Promise<{ dir: string; volumes: number } | undefined> {
  const out = bundleFolderOf(request);
  if (!(await fsp.stat(out).catch(() => undefined))?.isDirectory()) return undefined;
  const record = await readExportProgress(out);
  if (record) await reopenUnfinishedBundle(out, record);
  const left = await clearIncompleteBundle(out, request.name);
  if (record?.createdFolder && left.length === 0) await fsp.rmdir(out).catch(() => undefined);
  return { dir: out, volumes: record?.volumes.length ?? 0 };
}

/** The bundle folder must be new, empty, or hold only an incomplete bundle of the same name (its files in `keep` stay). */
async function prepareOutDir(out: string, name: string, keep: ReadonlySet<string>): Promise<{ created: boolean }> {
  const stat = await fsp.stat(out).catch(() => undefined);
  if (stat && !stat.isDirectory())
    throw new FerryError('USAGE', `The bundle folder ${out} exists and is not a folder. Choose another destination or bundle name.`, { file: out });
  if (stat) {
    const left = await clearIncompleteBundle(out, name, keep);
    if (left.length > 0)
      throw new FerryError(
        'USAGE',
        `The bundle folder ${out} already holds files (${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''}). Choose a new bundle name or another destination.`,
        { file: out },
      );
    return { created: false };
  }
  await fsp.mkdir(out, { recursive: true });
  return { created: true };
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

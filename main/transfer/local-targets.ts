import type { ArtifactKind, BundleArtifact } from '../../shared/bundle.js';
import type { Progress } from '../util/progress.js';
import type { StagedInstall } from '../content/staged.js';
import type { ListedStore } from '../content/store.js';
import { parseFilesManifest } from '../files/manifest.js';
import { planRestore, stageRestore } from '../files/restore.js';
import { stageHfRepo } from '../hf/install.js';
import { planHfInstall } from '../hf/install-plan.js';
import { stageModel } from '../ollama/install.js';
import { planModelInstall } from '../ollama/install-plan.js';
import { FerryError } from '../util/errors.js';
import { FoldersMade } from '../util/folders-made.js';
import type { TargetPlan } from '../util/target-plan.js';
import { checkPlannedInstalls, type PlannedInstall, type PreflightReport } from './preflight.js';

export type LocalTargetName = 'ollama-store' | 'hf-cache' | 'dir' | 'installer';

export interface ImportedArtifact {
  kind: ArtifactKind;
  ref: string;
  digest: string;
  status: 'imported' | 'skipped';
  target?: LocalTargetName | 'registry';
  destination?: string;
  modelId?: string;
  blobsWritten?: number;
  blobsAlreadyPresent?: number;
  reason?: string;
  /** Ferry's own installer (appimage, deb, exe), when the artifact is one. */
  installer?: string;
  /** An Ollama model pushed to a registry: the exact `ollama pull …` command for it. */
  pull?: string;
  /** Pushed to a registry: Ferry's signed transfer attestation attached to it. */
  attestation?: { envelope: string; manifest: string; stored: 'referrer' | 'tag'; where: string };
  /** Signatures, attestations, SBOMs and referrers of the source carried with it and pushed beside it. */
  attached?: number;
  /** It is itself attached to another artifact: a signature, attestation, SBOM or referrer of `subject`. */
  attachment?: { kind: string; subject: string };
  /** Pushed, but the registry did not take its transfer attestation: why. */
  attestationProblem?: string;
}

interface StageContext {
  /** Every blob of the bundle, as BUNDLE.json lists them. */
  blobs: Pick<ListedStore, 'find'>;
  signal?: AbortSignal;
  /** Bytes of the target hashed to find what it already holds. */
  onBytes: (n: number) => void;
}

/** A folder on this side that takes one kind of artifact: an Ollama store, a Hugging Face cache, a plain folder. */
export interface LocalTarget {
  name: LocalTargetName;
  kind: ArtifactKind;
  dir: string;
  /** Narrows `kind` further (Ferry's installer is a files artifact with its own target). */
  accepts?(artifact: BundleArtifact): boolean;
  /** What the install will write, checked before anything is written (refuses what must not be written). */
  plan(artifact: BundleArtifact, manifestBytes: Buffer): Promise<TargetPlan>;
  /** Prepares the install: the blobs' bytes go to temp files during the read, `commit` makes them visible. */
  stage(artifact: BundleArtifact, manifestBytes: Buffer, ctx: StageContext): Promise<StagedInstall<ImportedArtifact>>;
}

const WHAT: Record<LocalTargetName, string> = {
  'ollama-store': 'Ollama store',
  'hf-cache': 'Hugging Face cache',
  dir: 'folder for files',
  installer: "folder for Ferry's installer",
};

function signalOf(ctx: StageContext) {
  return ctx.signal ? { signal: ctx.signal } : {};
}

/** A staged install whose commit reports the artifact's result row. */
function reporting<R>(staged: StagedInstall<R>, row: (result: R) => ImportedArtifact): StagedInstall<ImportedArtifact> {
  return { ...staged, commit: async () => row(await staged.commit()) };
}

export function ollamaStoreTarget(dir: string): LocalTarget {
  return {
    name: 'ollama-store',
    kind: 'ollama-model',
    dir,
    plan: (artifact, manifestBytes) => planModelInstall(dir, artifact.ref, manifestBytes),
    async stage(artifact, manifestBytes, ctx) {
      const staged = await stageModel(dir, { ref: artifact.ref, manifestBytes, blobs: ctx.blobs, onBytes: ctx.onBytes, ...signalOf(ctx) });
      return reporting(staged, (installed) => ({
        ...imported(artifact, 'ollama-store', installed.manifestPath, installed.written.length, installed.skipped.length),
        digest: installed.manifestDigest,
        modelId: installed.modelId,
      }));
    },
  };
}

/** The result row of an artifact written into a folder target, counting blobs or files written and found. */
function imported(artifact: BundleArtifact, target: LocalTargetName, destination: string, written: number, present: number): ImportedArtifact {
  return {
    kind: artifact.kind,
    ref: artifact.ref,
    digest: artifact.digest,
    status: 'imported',
    target,
    destination,
    blobsWritten: written,
    blobsAlreadyPresent: present,
    ...(typeof artifact.installer === 'string' ? { installer: artifact.installer } : {}),
  };
}

export function hfCacheTarget(dir: string): LocalTarget {
  return {
    name: 'hf-cache',
    kind: 'hf-repo',
    dir,
    plan: (_artifact, manifestBytes) => planHfInstall(dir, manifestBytes),
    async stage(artifact, manifestBytes, ctx) {
      const staged = await stageHfRepo(dir, { manifestBytes, blobs: ctx.blobs, onBytes: ctx.onBytes, ...signalOf(ctx) });
      return reporting(staged, (done) => imported(artifact, 'hf-cache', done.repoDir, done.written.length, done.skipped.length));
    },
  };
}

export function dirTarget(dir: string): LocalTarget {
  return filesFolderTarget('dir', dir);
}

/** Ferry's own installer, carried in the bundle (--include-installer), saved into a folder of its own. */
export function installerTarget(dir: string): LocalTarget {
  return { ...filesFolderTarget('installer', dir), accepts: isInstaller };
}

/** A folder that files artifacts are restored into: the folder for files, or the installer's own. */
function filesFolderTarget(name: 'dir' | 'installer', dir: string): LocalTarget {
  return {
    name,
    kind: 'files',
    dir,
    async plan(_artifact, manifestBytes) {
      const { toWrite, skipped } = await planRestore(dir, parseFilesManifest(manifestBytes));
      return {
        files: [
          ...toWrite.map((f) => ({ path: f.real, content: f.digest, newBytes: f.size })),
          ...skipped.map((f) => ({ path: f.real, content: f.digest, newBytes: 0 })),
        ],
        linkedOut: [],
      };
    },
    async stage(artifact, manifestBytes, ctx) {
      const staged = await stageRestore(dir, { manifestBytes, blobs: ctx.blobs, onBytes: ctx.onBytes, ...signalOf(ctx) });
      return reporting(staged, (done) => imported(artifact, name, dir, done.written.length, done.skipped.length));
    },
  };
}

export function isInstaller(artifact: BundleArtifact): boolean {
  return artifact.kind === 'files' && typeof artifact.installer === 'string';
}

async function ensureDir(target: LocalTarget, made: FoldersMade): Promise<void> {
  await made.make(target.dir).catch((err: NodeJS.ErrnoException) => {
    throw new FerryError(
      'IO',
      `Cannot create the ${WHAT[target.name]} ${target.dir}: ${err.code ?? err.message}. Check that the share is mounted and writable.`,
      { file: target.dir },
    );
  });
}

/** One artifact and the target that takes it: the first that does (the installer's own folder before the folder for files). */
export interface LocalWork {
  artifact: BundleArtifact;
  target: LocalTarget;
}

export function assignLocalTargets(artifacts: readonly BundleArtifact[], targets: readonly LocalTarget[]): LocalWork[] {
  return artifacts.flatMap((artifact) => {
    const target = targets.find((t) => t.kind === artifact.kind && (t.accepts?.(artifact) ?? true));
    return target ? [{ artifact, target }] : [];
  });
}

/**
 * Plans every install and checks them together (conflicts, names, room) before anything is
 * written; a refusal leaves every target as it was.
 */
export async function preflightLocal(work: readonly LocalWork[], manifests: ReadonlyMap<string, Buffer>): Promise<PreflightReport> {
  const planned: PlannedInstall[] = [];
  for (const { artifact, target } of work) planned.push({ artifact, dir: target.dir, plan: await target.plan(artifact, manifests.get(artifact.digest)!) });
  return checkPlannedInstalls(planned);
}

/**
 * Prepares every artifact that has a target on this side (call preflightLocal first): what each
 * target already holds is found now; the rest is written during the bundle's one read. A target
 * folder that does not exist yet is made and noted in `made`, for an import that ends up writing
 * nothing to remove again once its installs are discarded.
 */
export async function stageLocal(
  work: readonly LocalWork[],
  manifests: ReadonlyMap<string, Buffer>,
  blobs: Pick<ListedStore, 'find'>,
  opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void; made: FoldersMade },
): Promise<StagedInstall<ImportedArtifact>[]> {
  for (const target of new Set(work.map((w) => w.target))) await ensureDir(target, opts.made);
  const staged: StagedInstall<ImportedArtifact>[] = [];
  let bytesDone = 0;
  try {
    for (const { artifact, target } of work) {
      staged.push(
        await target.stage(artifact, manifests.get(artifact.digest)!, {
          blobs,
          ...(opts.signal ? { signal: opts.signal } : {}),
          onBytes: (n) => {
            bytesDone += n;
            opts.onProgress?.({ bytesDone, bytesTotal: 0, item: artifact.ref, phase: 'Checking what the targets already hold' });
          },
        }),
      );
    }
  } catch (err) {
    for (const s of staged) await s.discard();
    throw err;
  }
  return staged;
}

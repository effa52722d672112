/** What each kind of job takes and gives: the requests and results of export, verify, import, stage and media read-back. */
import { z } from 'zod';
import { ArtifactKind, BundleArtifact, BundleName, BundleVolume, Sha256Digest } from '../bundle.js';
import { FolderName, MediaRecord, Path, Person, Platform, Reference, RegistryAccess } from './common.js';

export const JobKind = z.enum(['export', 'verify', 'import', 'stage', 'media-verify']);

export type JobKind = z.infer<typeof JobKind>;

const selectionFields = {
  /** The Ollama store; needed only when `models` names some. */
  store: Path.optional(),
  models: z.array(z.string().min(1)).default([]),
  /** Image and chart references, resolved again when the job starts. */
  images: z.array(Reference).max(500).default([]),
  charts: z.array(Reference).max(500).default([]),
  /** OS/ARCH[/VARIANT] kept from multi-platform images; empty keeps all (the original index). */
  platforms: z.array(Platform).max(16).default([]),
  registry: RegistryAccess.optional(),
  /** The Hugging Face cache; needed only when `hf` names some repos. */
  hfCache: Path.optional(),
  /** Hugging Face repo revisions: [datasets/|spaces/]ORG/NAME[@REF|@COMMIT]. */
  hf: z.array(z.string().trim().min(1).max(300)).max(200).default([]),
  /** Files and folders (picked by the user) carried as plain-file artifacts, one per path. */
  files: z.array(Path).max(200).default([]),
  /** false leaves out what is attached to images and charts (cosign signatures, attestations, SBOMs, OCI referrers); carried by default. */
  signatures: z.boolean().optional(),
  volumeSize: z.number().int().positive(),
  /** The folder the bundle folder is created in (a folder the user picked). */
  destination: Path,
};

/** The paths of an export selection, for the method specs that take one. */
export const selectionPaths = ['store', 'hfCache', 'files.*', 'destination', 'registry.caFile'] as const;

/** Models need their store, Hugging Face repos their cache: the rules of every face, said once. */
function sourcesGiven(r: { models: string[]; store?: string | undefined; hf: string[]; hfCache?: string | undefined }, ctx: z.RefinementCtx): void {
  if (r.models.length > 0 && r.store === undefined) ctx.addIssue({ code: 'custom', message: 'models need the Ollama store they are in', path: ['store'] });
  if (r.hf.length > 0 && r.hfCache === undefined) ctx.addIssue({ code: 'custom', message: 'Hugging Face repos need the cache they are in', path: ['hfCache'] });
}

/** What an export carries and where it goes: what export.estimate takes. */
export const ExportSelection = z.object(selectionFields).superRefine(sourcesGiven);

export type ExportSelection = z.infer<typeof ExportSelection>;

/** An export: the one request every face builds (the wizard, the CLI, an approval), and the one the engine runs. */
export const ExportRequest = z
  .object({
    ...selectionFields,
    /** The bundle's name: its volume files' prefix, and its folder's name inside `destination` unless `folder` names another. */
    name: BundleName,
    /** The bundle folder's name inside `destination`, when it differs from the bundle's name (the CLI's --out with --name). */
    folder: FolderName.optional(),
    /** Ferry's own installer (AppImage, deb or exe), carried as a plain-file artifact marked as such. */
    installer: Path.optional(),
    /** With the two-person rule on: the approved request (approval.request's id) this export carries out. */
    approval: z.string().uuid().optional(),
    /** `discs`: the bundle folder holds disc-01/, disc-02/, …, one volume each beside the signed metadata, ready to burn. */
    layout: z.enum(['folder', 'discs']).optional(),
  })
  .superRefine(sourcesGiven)
  .refine((r) => r.models.length + r.images.length + r.charts.length + r.hf.length + r.files.length > 0 || r.installer !== undefined, {
    message: 'choose at least one model, image, chart, Hugging Face repo or file',
    path: ['models'],
  });

export type ExportRequest = z.infer<typeof ExportRequest>;

/** The paths of an export request. */
export const exportRequestPaths = [...selectionPaths, 'installer'] as const;

export const RegistryTargetRequest = z.object({
  /** HOST[:PORT][/PREFIX] */
  target: z.string().trim().min(1).max(512),
  access: RegistryAccess.optional(),
  /** Blobs uploaded at once. */
  concurrency: z
    .number({ error: 'a whole number from 1 to 64' })
    .int('a whole number from 1 to 64')
    .min(1, 'a whole number from 1 to 64')
    .max(64, 'a whole number from 1 to 64')
    .optional(),
  /** A fixed upload chunk size in bytes; without it the chunk adapts to about 2 s each. */
  chunkSize: z.number().int().positive().optional(),
  /** Explicit relocations, one "SOURCE-REPOSITORY DESTINATION-REPOSITORY" per line. */
  mapFile: Path.optional(),
  /** Where the Helm values snippet (repository, tag and digest of each image pushed) is written. */
  valuesOut: Path.optional(),
});

export type RegistryTargetRequest = z.infer<typeof RegistryTargetRequest>;

export const ImportRequest = z
  .object({
    dir: Path,
    /** Public key files (PEM) trusted for this import only, beside the pinned keys (the CLI's --trust). */
    trust: z.array(Path).max(16).optional(),
    /** The ledger line of the import.override (import.override) that lets this bundle's untrusted signer be trusted once. */
    override: z.object({ seq: z.number().int().positive() }).optional(),
    toOllamaStore: Path.optional(),
    toHfCache: Path.optional(),
    toDir: Path.optional(),
    /** Where Ferry's own installer, carried in the bundle, is saved. */
    saveInstaller: Path.optional(),
    toRegistry: RegistryTargetRequest.optional(),
  })
  .refine((r) => [r.toOllamaStore, r.toHfCache, r.toDir, r.saveInstaller, r.toRegistry].some((t) => t !== undefined), {
    message: 'choose at least one target',
    path: ['toOllamaStore'],
  });

export type ImportRequest = z.infer<typeof ImportRequest>;

/** The paths of an import request. */
export const importRequestPaths = [
  'dir',
  'trust.*',
  'toOllamaStore',
  'toHfCache',
  'toDir',
  'saveInstaller',
  'toRegistry.access.caFile',
  'toRegistry.mapFile',
  'toRegistry.valuesOut',
] as const;

export const VerifyRequest = z.object({
  dir: Path,
  /** Public key files (PEM) trusted for this verification only, beside the pinned keys (the CLI's --trust). */
  trust: z.array(Path).max(16).optional(),
  /** An override recorded for this bundle folder (import.override): its signer is trusted for this verification. */
  override: z.object({ seq: z.number().int().positive() }).optional(),
  /** Also re-hash every blob against its digest. */
  deep: z.boolean().optional(),
  /**
   * Only what takes seconds: the signature, the trusted key, BUNDLE.json and the manifests. The
   * import reads and checks every volume itself, committing nothing until all of it matches.
   */
  quick: z.boolean().optional(),
});

export type VerifyRequest = z.infer<typeof VerifyRequest>;

export const ExportJobResult = z.object({
  dir: z.string(),
  name: z.string(),
  bundleDigest: Sha256Digest,
  signer: z.string(),
  tarSize: z.number(),
  volumes: z.array(BundleVolume),
  artifacts: z.array(BundleArtifact),
  /** With the disc layout: which folder goes on which disc, and what it holds. */
  discs: z.array(z.object({ folder: z.string(), volumes: z.array(z.string()), bytes: z.number() })).optional(),
  /** What the export carried on without: a signature or referrer that could not be fetched. */
  warnings: z.array(z.string()).optional(),
});

export type ExportJobResult = z.infer<typeof ExportJobResult>;

export const VerifyJobResult = z.object({
  ok: z.boolean(),
  dir: z.string(),
  name: z.string(),
  bundleDigest: Sha256Digest,
  /** `name`: whose key it is, as recorded when this site trusted it. */
  signer: z.object({
    fingerprint: z.string(),
    signatureValid: z.boolean(),
    trusted: z.boolean(),
    name: z.string().optional(),
    /** This site revoked the key (key.revoked): the bundle is refused. */
    revoked: z.object({ at: z.string(), by: Person, reason: z.string() }).optional(),
  }),
  volumes: z.array(
    z.object({ file: z.string(), size: z.number(), expected: z.string(), status: z.enum(['ok', 'missing', 'mismatch', 'wrong-size', 'unchecked']) }),
  ),
  problems: z.array(z.object({ code: z.string(), message: z.string(), volume: z.string().optional(), blob: z.string().optional() })),
  artifacts: z.array(BundleArtifact),
  createdAt: z.string(),
  createdBy: z.object({ operator: z.string(), host: z.string(), ferryVersion: z.string() }),
  /** Every blob was re-hashed too (--deep). */
  deep: z.boolean(),
  previousBundle: Sha256Digest.nullable(),
});

export type VerifyJobResult = z.infer<typeof VerifyJobResult>;

export const ImportJobResult = z.object({
  bundleDigest: Sha256Digest,
  signer: z.object({ fingerprint: z.string(), trusted: z.boolean() }),
  artifacts: z.array(
    z.object({
      kind: ArtifactKind,
      ref: z.string(),
      digest: z.string(),
      status: z.enum(['imported', 'skipped']),
      target: z.enum(['ollama-store', 'hf-cache', 'dir', 'installer', 'registry']).optional(),
      destination: z.string().optional(),
      modelId: z.string().optional(),
      blobsWritten: z.number().optional(),
      blobsAlreadyPresent: z.number().optional(),
      reason: z.string().optional(),
      /** Ferry's own installer (appimage, deb, exe): the Done page offers to save it. */
      installer: z.string().optional(),
      /** An Ollama model pushed to a registry: the exact `ollama pull …` command for it. */
      pull: z.string().optional(),
      /** Pushed to a registry: Ferry's signed transfer attestation attached to it, and how it is stored. */
      attestation: z.object({ envelope: z.string(), manifest: z.string(), stored: z.enum(['referrer', 'tag']), where: z.string() }).optional(),
      /** Signatures, attestations, SBOMs and referrers of the source carried with it and pushed beside it. */
      attached: z.number().optional(),
      /** It is itself a signature, attestation, SBOM or referrer of `subject`. */
      attachment: z.object({ kind: z.string(), subject: z.string() }).optional(),
      /** Pushed, but the registry did not take its transfer attestation: why. */
      attestationProblem: z.string().optional(),
    }),
  ),
  /** Folders of a target that are links leading out of it on purpose (an Ollama store's blobs/), used as they are. */
  linkedFolders: z.array(z.object({ folder: z.string(), to: z.string() })).optional(),
  /** Helm values (repository, tag, digest per image) after a registry push. */
  values: z.string().optional(),
  /** Where those values were written (the request's toRegistry.valuesOut). */
  valuesFile: z.string().optional(),
});

export type ImportJobResult = z.infer<typeof ImportJobResult>;

/** One disc (or folder) of a bundle copied into a staging folder, each volume checked as it is copied. */
export const StageRequest = z.object({
  from: Path,
  to: Path,
  /** Public key files (PEM) trusted for this run only, beside the pinned keys (the CLI's --trust). */
  trust: z.array(Path).max(16).optional(),
  /** The disc as the officer records it: its id (serial or asset tag), label and seal. */
  medium: z
    .object({
      id: z.string().trim().min(1).max(120),
      label: z.string().trim().min(1).max(200).optional(),
      seal: z.string().trim().min(1).max(120).optional(),
    })
    .optional(),
});

export type StageRequest = z.infer<typeof StageRequest>;

export const StageJobResult = z.object({
  bundleDigest: Sha256Digest,
  name: z.string(),
  signer: z.object({ fingerprint: z.string(), trusted: z.boolean() }),
  from: z.string(),
  to: z.string(),
  onThisDisc: z.array(z.string()),
  copied: z.array(z.string()),
  alreadyStaged: z.array(z.string()),
  missing: z.array(z.string()),
  complete: z.boolean(),
  totalVolumes: z.number(),
  /** The disc held volumes only; the signed metadata came from an earlier disc, already staged. */
  volumesOnly: z.boolean(),
});

export type StageJobResult = z.infer<typeof StageJobResult>;

/** Reads every volume back from a medium (or folder) and records media.written and media.verified. */
export const MediaVerifyRequest = z.object({ dir: Path, media: MediaRecord });

export type MediaVerifyRequest = z.infer<typeof MediaVerifyRequest>;

export const MediaVerifyJobResult = z.object({
  ok: z.boolean(),
  bundleDigest: Sha256Digest,
  name: z.string(),
  dir: z.string(),
  media: MediaRecord,
  /** The volumes found on this medium, each read back in full. */
  volumes: z.array(
    z.object({ file: z.string(), size: z.number(), expected: z.string(), actual: z.string().optional(), status: z.enum(['ok', 'mismatch', 'wrong-size']) }),
  ),
  /** The bundle's volumes that are not on this medium (carried on other discs). */
  elsewhere: z.array(z.string()),
  /** Ledger line of media.verified. */
  seq: z.number(),
});

export type MediaVerifyJobResult = z.infer<typeof MediaVerifyJobResult>;

import { z } from 'zod';
import { ArtifactKind, BundleArtifact, BundleVolume, Sha256Digest } from './bundle.js';
import { ErrorEnvelope } from './errors.js';

/**
 * The one contract between the UI and the engine: every RPC method's params and result, and every
 * event. The dispatcher (main/rpc) validates each request against it; both transports (Electron IPC
 * and the browser host's WebSocket) carry exactly these shapes.
 */

const Path = z.string().min(1).max(4096);
const Empty = z.object({}).strict();

export const JobKind = z.enum(['export', 'verify', 'import', 'stage', 'media-verify']);
export type JobKind = z.infer<typeof JobKind>;
export const JobState = z.enum(['running', 'completed', 'failed', 'cancelled', 'interrupted', 'paused']);
export type JobState = z.infer<typeof JobState>;

export const JobProgress = z.object({
  bytesDone: z.number(),
  bytesTotal: z.number(),
  /** Bytes per second over the last few seconds. */
  rate: z.number(),
  etaSeconds: z.number().nullable(),
  /** What is being done now, e.g. the blob being written. */
  item: z.string(),
  /** Blobs in flight when several move at once (a registry push). */
  active: z.array(z.object({ digest: z.string(), repository: z.string().optional(), bytesDone: z.number(), bytesTotal: z.number() })).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const ModelRow = z.object({
  name: z.string(),
  ref: z.string(),
  id: z.string(),
  digest: Sha256Digest,
  size: z.number(),
  family: z.string().optional(),
  parameters: z.string().optional(),
  quantization: z.string().optional(),
  licensePresent: z.boolean(),
  /** The rest of what the config and the GGUF header say, when they say it. */
  format: z.string().optional(),
  families: z.array(z.string()).optional(),
  modelType: z.string().optional(),
  parameterCount: z.number().optional(),
  architecture: z.string().optional(),
  contextLength: z.number().optional(),
});
export type ModelRow = z.infer<typeof ModelRow>;

/** A model in the store that cannot be carried: a broken one (its problem) or a cloud stub (no weights here). */
export const UnavailableModelRow = z.object({
  name: z.string(),
  ref: z.string(),
  kind: z.enum(['broken', 'cloud']),
  reason: z.string(),
});
export type UnavailableModelRow = z.infer<typeof UnavailableModelRow>;

/** How to reach a registry: the wizard's form, the CLI's --plain-http, --skip-tls-verify, --ca-file. */
export const RegistryAccess = z.object({
  plainHttp: z.boolean().optional(),
  skipTlsVerify: z.boolean().optional(),
  /** A file of CA certificates (PEM) trusted beside the system's: a path the user chose with Ferry's file picker; the host reads it. */
  caFile: Path.optional(),
});
export type RegistryAccess = z.infer<typeof RegistryAccess>;

/** Credentials typed into the wizard. Never persisted in job state, logs or the ledger. */
export const RegistryLogin = z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(8192) });
export type RegistryLogin = z.infer<typeof RegistryLogin>;

const Reference = z.string().trim().min(1).max(512);

/** What an export carries and where it goes: the fields export.estimate and export.start share. */
const ExportSelection = z.object({
  /** The Ollama store; needed only when `models` names some. */
  store: Path.optional(),
  models: z.array(z.string().min(1)).default([]),
  /** Image and chart references, resolved again when the job starts. */
  images: z.array(Reference).max(500).default([]),
  charts: z.array(Reference).max(500).default([]),
  /** OS/ARCH[/VARIANT] kept from multi-platform images; empty keeps all (the original index). */
  platforms: z.array(z.string().min(3).max(64)).max(16).default([]),
  registry: RegistryAccess.optional(),
  /** The Hugging Face cache; needed only when `hf` names some repos. */
  hfCache: Path.optional(),
  /** Hugging Face repo revisions: [datasets/|spaces/]ORG/NAME[@REF|@COMMIT]. */
  hf: z.array(z.string().trim().min(1).max(300)).max(200).default([]),
  /** Files and folders (picked by the user) carried as plain-file artifacts, one per path. */
  files: z.array(Path).max(200).default([]),
  volumeSize: z.number().int().positive(),
  /** The folder the bundle folder is created in (a folder the user picked). */
  destination: Path,
});

export const ExportRequest = ExportSelection.extend({
  /** The bundle folder's name inside `destination`; also the volume file prefix. */
  name: z.string().min(1).max(80),
  /** With the two-person rule on: the approved request (approval.request's id) this export carries out. */
  approval: z.string().uuid().optional(),
})
  .refine((r) => r.models.length + r.images.length + r.charts.length + r.hf.length + r.files.length > 0, {
    message: 'choose at least one model, image, chart, Hugging Face repo or file',
    path: ['models'],
  })
  .refine((r) => r.models.length === 0 || r.store !== undefined, { message: 'models need the Ollama store they are in', path: ['store'] })
  .refine((r) => r.hf.length === 0 || r.hfCache !== undefined, { message: 'Hugging Face repos need the cache they are in', path: ['hfCache'] });
export type ExportRequest = z.infer<typeof ExportRequest>;

export const RegistryTargetRequest = z.object({
  /** HOST[:PORT][/PREFIX] */
  target: z.string().trim().min(1).max(512),
  access: RegistryAccess.optional(),
  concurrency: z.number().int().min(1).max(16).optional(),
});

export const ImportRequest = z
  .object({
    dir: Path,
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

export const VerifyRequest = z.object({
  dir: Path,
  /** Public key files (PEM) trusted for this verification only, beside the pinned keys (the CLI's --trust). */
  trust: z.array(Path).max(16).optional(),
  /** Also re-hash every blob against its digest. */
  deep: z.boolean().optional(),
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
});
export type ExportJobResult = z.infer<typeof ExportJobResult>;

export const VerifyJobResult = z.object({
  ok: z.boolean(),
  dir: z.string(),
  name: z.string(),
  bundleDigest: Sha256Digest,
  signer: z.object({ fingerprint: z.string(), signatureValid: z.boolean(), trusted: z.boolean() }),
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
    }),
  ),
  /** Folders of a target that are links leading out of it on purpose (an Ollama store's blobs/), used as they are. */
  linkedFolders: z.array(z.object({ folder: z.string(), to: z.string() })).optional(),
  /** Helm values (repository, tag, digest per image) after a registry push. */
  values: z.string().optional(),
});
export type ImportJobResult = z.infer<typeof ImportJobResult>;

/** One disc (or folder) of a bundle copied into a staging folder, each volume checked as it is copied. */
export const StageRequest = z.object({
  from: Path,
  to: Path,
  /** Public key files (PEM) trusted for this run only, beside the pinned keys (the CLI's --trust). */
  trust: z.array(Path).max(16).optional(),
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
});
export type StageJobResult = z.infer<typeof StageJobResult>;

/** The person at the keyboard, as they name themselves (asserted, not authenticated). */
export const Person = z.object({ name: z.string().trim().min(1).max(120), role: z.string().trim().min(1).max(60).optional() });
export type Person = z.infer<typeof Person>;

export const MediaType = z.enum(['usb', 'external-disk', 'dvd-r', 'dvd-r-dl', 'bd-r', 'sd-card', 'other']);
export type MediaType = z.infer<typeof MediaType>;

/** One physical medium as the security officer records it. */
export const MediaRecord = z.object({
  /** Serial number or asset tag: what identifies this medium in every later event. */
  id: z.string().trim().min(1).max(120),
  label: z.string().trim().min(1).max(200),
  type: MediaType,
  /** Tamper-evident seal number, when sealed. */
  seal: z.string().trim().min(1).max(120).optional(),
});
export type MediaRecord = z.infer<typeof MediaRecord>;

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

export const HfRepoRow = z.object({
  repoId: z.string(),
  type: z.enum(['model', 'dataset', 'space']),
  /** What to type to carry it: [datasets/|spaces/]ORG/NAME. */
  spec: z.string(),
  refs: z.record(z.string(), z.string()),
  revisions: z.array(z.object({ commit: z.string(), refs: z.array(z.string()), files: z.number(), size: z.number(), problem: z.string().optional() })),
  problem: z.string().optional(),
});
export type HfRepoRow = z.infer<typeof HfRepoRow>;

export const Job = z.object({
  id: z.string(),
  kind: JobKind,
  state: JobState,
  /** A line a person reads: "Export of 2 models to /media/usb/models-2026-11". */
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  // Most specific first: a union keeps the first shape that parses, and strips unknown keys.
  request: z.union([ExportRequest, ImportRequest, MediaVerifyRequest, StageRequest, VerifyRequest]),
  progress: JobProgress.nullable(),
  result: z.union([ExportJobResult, VerifyJobResult, ImportJobResult, MediaVerifyJobResult, StageJobResult]).optional(),
  error: ErrorEnvelope.optional(),
});
export type Job = z.infer<typeof Job>;

export const CredentialStorage = z.enum(['os-keychain', 'plain-text', 'memory']);

/** Where a registry's credentials came from: typed for this call, remembered in Ferry, docker's config.json, a docker credential helper, or nowhere. */
export const CredentialOrigin = z.union([z.enum(['given', 'remembered', 'docker-config', 'none']), z.string().regex(/^helper \S+$/)]);
export type CredentialStorage = z.infer<typeof CredentialStorage>;

export const ResolvedReference = z.object({
  /** The reference as typed. */
  input: z.string(),
  kind: z.enum(['image', 'helm-chart']),
  ok: z.boolean(),
  /** The reference as the bundle records it (docker.io/library/nginx:1.27.3). */
  ref: z.string().optional(),
  digest: z.string().optional(),
  mediaType: z.string().optional(),
  /** Manifest plus every blob carried. */
  size: z.number().optional(),
  /** Platforms carried. */
  platforms: z.array(z.string()).optional(),
  /** Platforms the source index offers. */
  available: z.array(z.object({ platform: z.string(), digest: z.string(), size: z.number() })).optional(),
  credentials: CredentialOrigin,
  error: ErrorEnvelope.optional(),
});
export type ResolvedReference = z.infer<typeof ResolvedReference>;

export const FolderEntry = z.object({
  name: z.string(),
  path: z.string(),
  /** The folder holds SHA256SUMS and BUNDLE.json: a Ferry bundle. */
  isBundle: z.boolean(),
  /** Listed with includeFiles: a regular file, not a folder. */
  isFile: z.boolean().optional(),
  size: z.number().optional(),
});

export const Outcome = z.enum(['ok', 'failed', 'pending']);
export type Outcome = z.infer<typeof Outcome>;

export const LedgerRow = z.object({
  seq: z.number(),
  type: z.string(),
  time: z.string(),
  operator: z.string(),
  role: z.string().optional(),
  bundle: z.string().optional(),
  job: z.string().optional(),
  /** One line a person reads: "2 artifacts, 3 volumes to /media/usb/models", "Alice → Bob at Gate 3, seal intact". */
  summary: z.string(),
  /** Media ids the event names. */
  media: z.array(z.string()).optional(),
  /** How it went, for events that have an outcome (completed/verified: ok; failed/rejected/mismatch: failed). */
  outcome: Outcome.optional(),
});
export type LedgerRow = z.infer<typeof LedgerRow>;

export const LedgerFilter = z.object({
  type: z.string().max(80).optional(),
  bundle: z.string().max(80).optional(),
  /** Operator name, case-insensitive substring. */
  operator: z.string().max(120).optional(),
  media: z.string().max(120).optional(),
  outcome: Outcome.optional(),
  /** ISO 8601 times, inclusive. */
  since: z.string().max(40).optional(),
  until: z.string().max(40).optional(),
  limit: z.number().int().positive().max(10_000).optional(),
});
export type LedgerFilter = z.infer<typeof LedgerFilter>;

export const ApprovalState = z.enum(['pending', 'approved', 'rejected', 'withdrawn', 'exported']);
/** An export waiting for (or given) a second person's approval under the two-person rule. */
export const ApprovalRequestInfo = z.object({
  /** The export's job id in the ledger. */
  id: z.string(),
  seq: z.number(),
  requestedAt: z.string(),
  requester: Person,
  state: ApprovalState,
  decidedBy: Person.optional(),
  decidedAt: z.string().optional(),
  reason: z.string().optional(),
  name: z.string(),
  out: z.string(),
  volumeSize: z.number(),
  artifacts: z.array(z.object({ kind: z.string(), ref: z.string(), digest: z.string(), size: z.number() })),
  totalSize: z.number(),
  /** The bundle it became, once exported. */
  bundle: z.string().optional(),
});
export type ApprovalRequestInfo = z.infer<typeof ApprovalRequestInfo>;

export const FlagKind = z.enum([
  'missing-bundle', // a previousBundle in an exporter's chain was never seen here
  'no-export-record', // an import whose bundle carries no export record of its own
  'import-rejected', // a bundle was refused at import (digest, signature or trust)
  'media-failed', // a medium read back with a mismatch
  'media-not-dispositioned', // a medium recorded but never returned, retained, sanitized or destroyed
  'not-imported', // exported (in another loaded ledger) but never imported here
  'checkpoint-invalid', // the exporter's carried checkpoint did not verify
  'export-not-approved', // an export that needed approval started without one
  'seal-broken', // a handoff recorded the seal as not intact
]);
export type FlagKind = z.infer<typeof FlagKind>;

export const ReconciliationFlag = z.object({
  kind: FlagKind,
  severity: z.enum(['warning', 'error']),
  message: z.string(),
  bundle: z.string().optional(),
  media: z.string().optional(),
  /** The ledger line the flag is about. */
  seq: z.number().optional(),
});
export type ReconciliationFlag = z.infer<typeof ReconciliationFlag>;

export const BundleSummary = z.object({
  bundle: Sha256Digest,
  name: z.string().optional(),
  /** exported here, imported here, or both (a round trip on one machine). */
  side: z.enum(['export', 'import', 'both']),
  firstTime: z.string(),
  lastTime: z.string(),
  lastType: z.string(),
  media: z.array(z.string()),
  flags: z.number(),
});
export type BundleSummary = z.infer<typeof BundleSummary>;

export const CustodyStage = z.enum(['request', 'approval', 'export', 'media', 'custody', 'verification', 'import', 'disposition', 'checkpoint']);
export type CustodyStage = z.infer<typeof CustodyStage>;

/** One bundle's whole chain of custody: the per-transfer report, printed as the form and receipt, saved as JSON. */
export const TransferReport = z.object({
  bundle: Sha256Digest,
  name: z.string().optional(),
  ledgerId: z.string(),
  site: z.object({ fingerprint: z.string() }),
  generatedAt: z.string(),
  /** The signer of the bundle (the exporter's site key). */
  signer: z.string().optional(),
  artifacts: z.array(z.object({ kind: z.string(), ref: z.string(), digest: z.string(), size: z.number().optional() })),
  volumes: z.array(z.object({ file: z.string(), size: z.number().optional(), sha256: z.string() })),
  media: z.array(
    z.object({
      id: z.string(),
      label: z.string().optional(),
      type: z.string().optional(),
      seal: z.string().optional(),
      volumes: z.array(z.string()),
      verified: Outcome.optional(),
      disposition: z.string().optional(),
    }),
  ),
  /** Every event of this bundle, in ledger order, each placed in a stage of the chain. */
  steps: z.array(
    z.object({
      seq: z.number(),
      stage: CustodyStage,
      type: z.string(),
      time: z.string(),
      operator: Person,
      summary: z.string(),
      outcome: Outcome.optional(),
      /** `exporter`: a line of the exporter's ledger carried in the signed bundle (its seq is the exporter's). */
      origin: z.enum(['here', 'exporter']),
      /** Label/value pairs a person reads (digests in full). */
      details: z.array(z.tuple([z.string(), z.string()])),
    }),
  ),
  /** The exporter's checkpoint as carried in the bundle (on the importing side). */
  exporterCheckpoint: z.object({ ledgerId: z.string().nullable(), text: z.string(), signature: z.string(), valid: z.boolean() }).optional(),
  /** This ledger's latest checkpoint covering the report's last step, if one exists. */
  checkpoint: z.object({ seq: z.number(), count: z.number(), head: z.string() }).optional(),
  flags: z.array(ReconciliationFlag),
});
export type TransferReport = z.infer<typeof TransferReport>;

export const methods = {
  'app.info': {
    params: Empty,
    result: z.object({
      version: z.string(),
      home: z.string(),
      operator: z.object({ name: z.string(), role: z.string().optional() }),
      siteFingerprint: z.string(),
      transport: z.enum(['electron', 'browser', 'cli']),
      /** Electron opens native folder dialogs; the browser host offers its folder browser instead. */
      nativeDialogs: z.boolean(),
      defaultOllamaStore: z.string(),
      defaultHfCache: z.string(),
      homeDir: z.string(),
      /** Exports wait for a second, differently named person's approval. */
      twoPersonRule: z.boolean(),
    }),
  },
  'app.ping': { params: Empty, result: z.object({ at: z.number() }) },
  'settings.setOperator': {
    params: z.object({ name: z.string().trim().min(1).max(120), role: z.string().trim().min(1).max(60).optional() }),
    result: z.object({ name: z.string(), role: z.string().optional() }),
  },
  /** Turns the two-person rule on or off; the change is recorded in the ledger. */
  'settings.setTwoPersonRule': { params: z.object({ enabled: z.boolean() }), result: z.object({ enabled: z.boolean() }) },
  /** Native folder picker (Electron). The chosen path is granted to the renderer for later calls. */
  'dialog.pickFolder': {
    params: z.object({
      title: z.string().max(200),
      purpose: z.enum(['ollama-store', 'export-destination', 'bundle', 'import-store', 'hf-cache', 'files', 'disc', 'staging', 'media', 'kit']),
    }),
    result: z.object({ path: z.string().nullable() }),
  },
  /** The server-side folder browser (browser host). Listed folders are granted for later calls. */
  'fs.list': {
    /** includeFiles: list regular files too (the Files tab picks files as well as folders). */
    params: z.object({ path: Path.optional(), includeFiles: z.boolean().optional() }),
    result: z.object({
      path: z.string(),
      /** null at the top of a root: the browser goes no higher. */
      parent: z.string().nullable(),
      entries: z.array(FolderEntry),
      isBundle: z.boolean(),
      /** Where browsing may go (home, removable media, the stores, folders the host was started with). */
      roots: z.array(z.object({ path: z.string(), label: z.string() })),
    }),
  },
  'fs.mkdir': { params: z.object({ parent: Path, name: z.string().min(1).max(255) }), result: z.object({ path: z.string() }) },
  'ollama.list': {
    params: z.object({ store: Path }),
    result: z.object({ store: z.string(), models: z.array(ModelRow), unavailable: z.array(UnavailableModelRow) }),
  },
  'export.estimate': {
    params: ExportSelection,
    result: z.object({ tarSize: z.number(), volumeCount: z.number(), available: z.number(), enoughSpace: z.boolean() }),
  },
  'export.start': { params: ExportRequest, result: Job },
  /** Resolves image and chart references to digests, platforms and sizes, as the Images & charts tab shows them. */
  'registry.resolve': {
    params: z.object({
      refs: z
        .array(z.object({ ref: Reference, kind: z.enum(['image', 'helm-chart']) }))
        .min(1)
        .max(200),
      platforms: z.array(z.string().min(3).max(64)).max(16).default([]),
      access: RegistryAccess.optional(),
    }),
    result: z.object({ items: z.array(ResolvedReference) }),
  },
  /** Checks a registry target answers the v2 API with these credentials; `remember` keeps them for later jobs. */
  'registry.test': {
    params: z.object({
      target: z.string().trim().min(1).max(512),
      access: RegistryAccess.optional(),
      login: RegistryLogin.optional(),
      remember: z.boolean().optional(),
    }),
    result: z.object({
      registry: z.string(),
      prefix: z.string(),
      authenticated: z.boolean(),
      credentials: CredentialOrigin,
      /** How remembered credentials are kept: the OS keychain, Electron's plain-text fallback, or this session's memory. */
      storage: CredentialStorage,
    }),
  },
  'import.verify': { params: VerifyRequest, result: Job },
  /** Copies one disc's volumes into a staging folder, checking each against the signed SHA256SUMS. */
  'import.stage': { params: StageRequest, result: Job },
  'hf.list': { params: z.object({ cache: Path }), result: z.object({ cache: z.string(), repos: z.array(HfRepoRow) }) },
  /** Native file picker (Electron), several files at once; the chosen paths are granted. */
  'dialog.pickFiles': { params: z.object({ title: z.string().max(200) }), result: z.object({ paths: z.array(z.string()) }) },
  /** `login` is kept in memory for this job, never in job state; registry.test remembers credentials. */
  'import.start': { params: z.object({ request: ImportRequest, login: RegistryLogin.optional() }), result: Job },
  /** Forgets credentials remembered for a registry host. */
  'registry.forget': { params: z.object({ registry: z.string().trim().min(1).max(300) }), result: z.object({ forgotten: z.boolean() }) },
  'jobs.list': { params: Empty, result: z.object({ jobs: z.array(Job) }) },
  'jobs.cancel': { params: z.object({ id: z.string() }), result: Job },
  /** Registry pushes only: finishes the chunk in flight and stops; Resume continues from the registry's offset. */
  'jobs.pause': { params: z.object({ id: z.string() }), result: Job },
  'jobs.resume': { params: z.object({ id: z.string() }), result: Job },
  'jobs.dismiss': { params: z.object({ id: z.string() }), result: z.object({}) },
  'keys.show': {
    params: Empty,
    result: z.object({
      fingerprint: z.string(),
      publicKeyPem: z.string(),
      /** Where the site's public key is kept (FERRY_HOME/keys/site.pub.pem). */
      publicKeyFile: z.string(),
      trusted: z.array(z.object({ fingerprint: z.string(), file: z.string() })),
    }),
  },
  /**
   * Trust a public key given as PEM text (pasted, or read from a file the user chose); `source` names
   * where it came from (the file) in errors and in the ledger, else "pasted in the app".
   */
  'keys.trust': {
    params: z.object({ pem: z.string().min(1).max(10_000), source: z.string().min(1).max(4096).optional() }),
    result: z.object({ fingerprint: z.string(), file: z.string() }),
  },
  /** Newest first, filtered. */
  'ledger.list': { params: LedgerFilter, result: z.object({ ledgerId: z.string(), entries: z.array(LedgerRow) }) },
  'ledger.verify': {
    params: Empty,
    result: z.object({
      ledgerId: z.string(),
      /** The ledger's SQLite file. */
      file: z.string(),
      ok: z.boolean(),
      count: z.number(),
      head: z.string(),
      problems: z.array(z.object({ seq: z.number(), message: z.string() })),
    }),
  },
  /** Every bundle this ledger knows, newest first. */
  'ledger.bundles': { params: Empty, result: z.object({ bundles: z.array(BundleSummary) }) },
  /** One bundle's chain of custody. `bundle` is the full digest or a unique prefix of its hex. */
  'ledger.report': { params: z.object({ bundle: z.string().trim().min(6).max(80) }), result: TransferReport },
  /** `withKit`: another site's auditor's kit (a folder the user picked), to flag bundles exported but never imported. */
  'ledger.flags': {
    params: z.object({ withKit: Path.optional() }),
    result: z.object({ flags: z.array(ReconciliationFlag), compared: z.object({ dir: z.string(), lines: z.number() }).optional() }),
  },
  /** Records review.signed by the current operator over lines from..to (default: since the last review, to now). */
  'ledger.review': {
    params: z.object({
      from: z.number().int().positive().optional(),
      to: z.number().int().positive().optional(),
      result: z.enum(['no-findings', 'findings']),
      notes: z.string().max(4000).default(''),
    }),
    result: z.object({ seq: z.number(), from: z.number(), to: z.number(), head: z.string(), chainOk: z.boolean() }),
  },
  /** Writes the auditor's kit into a new folder `name` inside `destination` (a folder the user picked). */
  'ledger.exportKit': {
    params: z.object({ destination: Path, name: z.string().trim().min(1).max(120) }),
    result: z.object({
      ledgerId: z.string(),
      dir: z.string(),
      files: z.array(z.string()),
      count: z.number(),
      head: z.string(),
      fingerprint: z.string(),
      time: z.string(),
      recordedAt: z.number(),
      /** The hash chain when the kit was written: a broken chain is kept in the kit as evidence. */
      chain: z.object({ ok: z.boolean(), problems: z.array(z.object({ seq: z.number(), message: z.string() })) }),
    }),
  },
  /** Records export.requested for approval: plans the export (every digest) without writing anything. */
  'approval.request': { params: ExportRequest, result: ApprovalRequestInfo },
  /** Every request, newest first, with whether the two-person rule is on now. */
  'approval.list': { params: Empty, result: z.object({ twoPersonRule: z.boolean(), requests: z.array(ApprovalRequestInfo) }) },
  /**
   * A second person approves or rejects, by name; the approver must differ from the requester, and a
   * rejection needs a reason. The requester (same name) may withdraw a request instead.
   */
  'approval.decide': {
    params: z.object({
      id: z.string().uuid(),
      decision: z.enum(['approve', 'reject', 'withdraw']),
      approver: Person,
      reason: z.string().trim().max(2000).optional(),
    }),
    result: ApprovalRequestInfo,
  },
  /** Reads every volume back from a medium (a folder the user picked) as a job; records media.written and media.verified. */
  'media.verify': { params: MediaVerifyRequest, result: Job },
  /** Records custody.handoff for a bundle's media. */
  'custody.handoff': {
    params: z.object({
      bundle: z.string().trim().min(6).max(80),
      from: Person,
      to: Person,
      place: z.string().trim().min(1).max(200),
      sealIntact: z.boolean(),
      seal: z.string().trim().min(1).max(120).optional(),
      media: z.array(z.string().trim().min(1).max(120)).max(100).default([]),
      notes: z.string().max(2000).default(''),
    }),
    result: z.object({ seq: z.number(), bundle: Sha256Digest }),
  },
  /** Records media.disposition: what became of a medium afterwards. */
  'media.dispose': {
    params: z.object({
      bundle: z.string().trim().min(6).max(80),
      media: z.string().trim().min(1).max(120),
      action: z.enum(['returned', 'retained', 'sanitized', 'destroyed']),
      method: z.string().trim().min(1).max(200),
      verifiedBy: Person.optional(),
      notes: z.string().max(2000).default(''),
    }),
    result: z.object({ seq: z.number(), bundle: Sha256Digest }),
  },
  /** Desktop app only: saves the current window as a PDF (Electron's printToPDF) where the user chooses. */
  'print.pdf': { params: z.object({ suggestedName: z.string().trim().min(1).max(120) }), result: z.object({ path: z.string().nullable() }) },
} as const;

export type MethodName = keyof typeof methods;
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
/** Params after validation, with defaults filled in: what handlers receive. */
export type ParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type Result<M extends MethodName> = z.output<(typeof methods)[M]['result']>;

export const events = {
  /** A job changed: state, progress (a few times a second at most), result or error. */
  'job.updated': Job,
  /** The ledger gained lines (from this window, a job, the CLI or another window): its line count and head hash now. */
  'ledger.appended': z.object({ count: z.number(), head: z.string() }),
} as const;
export type EventName = keyof typeof events;
export type EventData<E extends EventName> = z.output<(typeof events)[E]>;

/** Wire shapes, the same on both transports. */
export const RpcRequest = z.object({ id: z.number().int(), method: z.string(), params: z.unknown() });
export type RpcResponse = { id: number } & ({ ok: true; result: unknown } | { ok: false; error: ErrorEnvelope });
export type RpcEvent = { event: EventName; data: unknown };
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorEnvelope };

/** What the renderer talks to: window.ferry in Electron, a WebSocket client in the browser host. */
export interface FerryClient {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, handler: (data: EventData<E>) => void): () => void;
}

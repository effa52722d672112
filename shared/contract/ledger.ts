/** The ledger: its views, verification, reports, reconciliation, reviews and the auditor's kit. */
import { z } from 'zod';
import { Sha256Digest } from '../bundle.js';
import { Empty, FolderName, Outcome, Path, Person } from './common.js';
import type { MethodTable } from './method-table.js';
import { SignAs } from './people.js';

export const LedgerRow = z.object({
  seq: z.number(),
  type: z.string(),
  time: z.string(),
  operator: z.string(),
  role: z.string().optional(),
  bundle: z.string().optional(),
  /** The bundle's name, as the ledger knows it. */
  bundleName: z.string().optional(),
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
  /** The page after this one: entries older than this seq (the last one shown). */
  before: z.number().int().positive().optional(),
});

export type LedgerFilter = z.infer<typeof LedgerFilter>;

export const FlagKind = z.enum([
  'missing-bundle', // a previousBundle in an exporter's chain was never seen here
  'no-export-record', // an import whose bundle carries no export record of its own
  'import-rejected', // a bundle was refused at import (digest, signature or trust)
  'media-failed', // a medium read back with a mismatch
  'media-not-dispositioned', // a medium recorded but never returned, retained, sanitized or destroyed
  'media-not-read-back', // a bundle exported here whose media were never read back
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
  bundleName: z.string().optional(),
  media: z.string().optional(),
  /** The ledger line the flag is about. */
  seq: z.number().optional(),
});

export type ReconciliationFlag = z.infer<typeof ReconciliationFlag>;

export const BundleSummary = z.object({
  bundle: Sha256Digest,
  name: z.string().optional(),
  /** exported here, imported here, both (a round trip on one machine), or neither yet (handoffs recorded on arrival, before the import). */
  side: z.enum(['export', 'import', 'both', 'arriving']),
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
  artifacts: z.array(
    z.object({
      kind: z.string(),
      ref: z.string(),
      digest: z.string(),
      size: z.number().optional(),
      /** The licences the source states ([] none stated); absent when the export was recorded before Ferry noted licences. */
      licences: z.array(z.string()).optional(),
      /** A signature, attestation, SBOM or referrer carried with `subject`, an image or chart of the bundle. */
      attachment: z.object({ kind: z.string(), subject: z.string() }).optional(),
    }),
  ),
  /** `disc`: with the disc layout, the disc folder the volume goes on. */
  volumes: z.array(z.object({ file: z.string(), size: z.number().optional(), sha256: z.string(), disc: z.string().optional() })),
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
      /** here; the exporter's lines carried in the bundle; or another site's, from its auditor's kit. */
      origin: z.enum(['here', 'exporter', 'other-site']),
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

/** Something on Home a person must act on, from the ledger: a medium that read back wrong, or one whose disposition is due. */
export const AttentionItem = z.object({
  kind: z.enum(['media-failed', 'disposition-due']),
  bundle: z.string(),
  bundleName: z.string().optional(),
  media: z.string(),
  /** The ledger line that raised it, and its time. */
  seq: z.number(),
  time: z.string(),
  message: z.string(),
});

export type AttentionItem = z.infer<typeof AttentionItem>;

export const ledgerMethods = {
  /**
   * The newest items needing attention; a medium's disposition is due once its bundle's import is
   * recorded here, or `dueAfterDays` after it was noted (the site's setting unless given).
   */
  'ledger.attention': {
    params: z.object({
      limit: z.number().int().positive().max(200).default(30),
      dueAfterDays: z.number().int().nonnegative().max(3650).optional(),
    }),
    result: z.object({ items: z.array(AttentionItem), total: z.number() }),
  },
  /** Takes an item off Home, recorded as attention.dismissed by the current operator (the flag stays on the Flags tab). */
  'ledger.dismissAttention': {
    params: z.object({ kind: AttentionItem.shape.kind, bundle: z.string().max(80), media: z.string().max(200), title: z.string().min(1).max(400) }),
    result: z.object({ seq: z.number() }),
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
  /** Derives the index tables again from the lines alone (they are kept with every append; this repairs them). */
  'ledger.reindex': { params: Empty, result: z.object({ ledgerId: z.string(), file: z.string(), lines: z.number() }) },
  /** A page of the bundles this ledger knows, newest activity first; `search` is part of a name or the first hex digits of a digest. */
  'ledger.bundles': {
    params: z.object({
      search: z.string().max(80).optional(),
      limit: z.number().int().positive().max(1000).default(100),
      offset: z.number().int().nonnegative().default(0),
    }),
    result: z.object({ bundles: z.array(BundleSummary), total: z.number() }),
  },
  /** One bundle's chain of custody. `bundle` is the full digest or a unique prefix of its hex. */
  /** `withKit`: another site's auditor's kit (a folder the user picked), whose lines about the bundle join its chain of custody. */
  'ledger.report': { params: z.object({ bundle: z.string().trim().min(6).max(80), withKit: Path.optional() }), paths: ['withKit'], result: TransferReport },
  /** `withKit`: another site's auditor's kit (a folder the user picked), to flag bundles exported but never imported. */
  'ledger.flags': {
    params: z.object({
      withKit: Path.optional(),
      kind: FlagKind.optional(),
      limit: z.number().int().positive().max(1000).default(200),
      offset: z.number().int().nonnegative().default(0),
    }),
    paths: ['withKit'],
    result: z.object({
      /** One page of the open flags, newest first. */
      flags: z.array(ReconciliationFlag),
      /** Open flags in all, and by kind. */
      total: z.number(),
      counts: z.partialRecord(FlagKind, z.number()),
      compared: z.object({ dir: z.string(), lines: z.number() }).optional(),
    }),
  },
  /** Records review.signed over lines from..to (default: since the last review, to now), signed by the reviewer `as`. */
  'ledger.review': {
    params: z.object({
      from: z.number().int().positive().optional(),
      to: z.number().int().positive().optional(),
      result: z.enum(['no-findings', 'findings']),
      notes: z.string().max(4000).default(''),
      as: SignAs,
    }),
    result: z.object({ seq: z.number(), from: z.number(), to: z.number(), head: z.string(), chainOk: z.boolean() }),
  },
  /** Writes the auditor's kit into a new folder `name` inside `destination` (a folder the user picked). */
  'ledger.exportKit': {
    params: z.object({ destination: Path, name: FolderName.max(120) }),
    paths: ['destination'],
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
  /** Signs a checkpoint of the ledger now and records it; with `out` (a new or empty folder), also writes checkpoint.txt/.sig and site.pub.pem there. */
  'ledger.checkpoint': {
    params: z.object({ out: Path.optional() }),
    paths: ['out'],
    result: z.object({
      ledgerId: z.string(),
      count: z.number(),
      head: z.string(),
      time: z.string(),
      /** checkpoint.txt exactly as signed. */
      text: z.string(),
      signatureBase64: z.string(),
      fingerprint: z.string(),
      recordedAt: z.number(),
      dir: z.string().optional(),
      files: z.array(z.string()).optional(),
      /** The command an auditor runs in the folder holding the three files. */
      opensslVerify: z.string(),
    }),
  },
} as const satisfies MethodTable;

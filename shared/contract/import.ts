/** Import: verify, stage disc by disc, install or push. */
import { z } from 'zod';
import { BundleIndex, Sha256Digest } from '../bundle.js';
import { Path, RegistryLogin } from './common.js';
import { ImportRequest, importRequestPaths, StageRequest, VerifyRequest } from './job-kinds.js';
import { ImportJob, StageJob, VerifyJob } from './jobs.js';
import type { MethodTable } from './method-table.js';
import { SignAs } from './people.js';

/** What a bundle folder says of itself, read without verifying anything: BUNDLE.json without its blobs and carried ledger. */
export const BundleInspection = BundleIndex.omit({ blobs: true, ledger: true, volumes: true }).extend({
  /** sha256 of SHA256SUMS as it is on disk; null when the file is missing. */
  bundleDigest: Sha256Digest.nullable(),
  blobCount: z.number(),
  /** Each volume BUNDLE.json names, and whether its file is in this folder. */
  volumes: z.array(BundleIndex.shape.volumes.element.extend({ present: z.boolean() })),
  verified: z.literal(false),
});

export type BundleInspection = z.infer<typeof BundleInspection>;

export const importMethods = {
  /** Reads a bundle folder's BUNDLE.json as it is, without verifying it (the CLI's inspect). */
  'import.inspect': { params: z.object({ dir: Path }), paths: ['dir'], result: BundleInspection },
  'import.verify': { params: VerifyRequest, paths: ['dir', 'trust.*'], job: 'verify', result: VerifyJob },
  /** Copies one disc's volumes into a staging folder, checking each against the signed SHA256SUMS. */
  'import.stage': { params: StageRequest, paths: ['from', 'to', 'trust.*'], job: 'stage', result: StageJob },
  /**
   * Records an override of an untrusted signer (import.override) with the reason, signed by the
   * enrolled officer `as`; import.start then names it (request.override.seq). Never for a revoked
   * key, a signature that does not verify or damaged volumes.
   */
  'import.override': {
    params: z.object({ dir: Path, reason: z.string().trim().min(1).max(2000), as: SignAs }),
    paths: ['dir'],
    result: z.object({ seq: z.number(), bundle: Sha256Digest, signer: z.string() }),
  },
  /** `login` is kept in memory for this job, never in job state; registry.test remembers credentials. */
  'import.start': {
    params: z.object({ request: ImportRequest, login: RegistryLogin.optional() }),
    paths: importRequestPaths.map((p) => `request.${p}`),
    job: 'import',
    result: ImportJob,
  },
} as const satisfies MethodTable;

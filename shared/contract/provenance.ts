/** Provenance in the internal registry: checking Ferry's transfer attestation on an image, chart or model. */
import { z } from 'zod';
import { Path, Reference, RegistryAccess } from './common.js';
import type { MethodTable } from './method-table.js';

export const TransferAttestation = z.object({
  /** sha256 of the DSSE envelope. */
  envelope: z.string(),
  /** Where it was found: an OCI 1.1 referrer, or cosign's sha256-<hex>.att tag. */
  stored: z.enum(['referrer', 'tag']),
  /** The key that signed it (hex sha256 of its SPKI DER), when one of the keys given verifies it. */
  signer: z.string().optional(),
  /** Whose key it is: this site, or the name a trusted key was given. */
  signerName: z.string().optional(),
  valid: z.boolean(),
  /** Why it does not count, when it does not. */
  problem: z.string().optional(),
  /** The statement's predicate (the transfer's facts), when the signature verified. */
  predicate: z.record(z.string(), z.unknown()).optional(),
  subject: z.object({ name: z.string(), digest: z.string() }).optional(),
});
export type TransferAttestation = z.infer<typeof TransferAttestation>;

export const provenanceMethods = {
  /**
   * Fetches the transfer attestations attached to an image, chart or model in a registry and checks
   * each against the keys given (default: this site's key and the keys it trusts). Refused (exit 3)
   * when none verifies for this digest.
   */
  'provenance.verify': {
    params: z.object({
      ref: Reference,
      /** Public keys (PEM files) that may have signed it; default this site's own and its trusted keys. */
      keys: z.array(Path).max(16).optional(),
      access: RegistryAccess.optional(),
    }),
    paths: ['keys.*', 'access.caFile'],
    result: z.object({
      ref: z.string(),
      digest: z.string(),
      predicateType: z.string(),
      attestations: z.array(TransferAttestation),
    }),
  },
} as const satisfies MethodTable;

/** Custody: media read back, handoffs and disposition. */
import { z } from 'zod';
import { Sha256Digest } from '../bundle.js';
import { Person } from './common.js';
import { MediaVerifyRequest } from './job-kinds.js';
import { MediaVerifyJob } from './jobs.js';
import type { MethodTable } from './method-table.js';
import { SignAs } from './people.js';

export const custodyMethods = {
  /** Reads every volume back from a medium (a folder the user picked) as a job; records media.written and media.verified. */
  'media.verify': { params: MediaVerifyRequest, paths: ['dir'], job: 'media-verify', result: MediaVerifyJob },
  /**
   * Records custody.handoff for a bundle's media. `bundle` is a digest or 6+ hex characters of one the
   * ledger knows, or any full digest (an arrival before the import: the result says `arrival`).
   */
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
      /** The receiver (`to`), enrolled here, accepts the media with their passphrase: the handoff is signed by them. */
      acceptedBy: SignAs.optional(),
    }),
    result: z.object({ seq: z.number(), bundle: Sha256Digest, arrival: z.boolean() }),
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
      /** The witness (`verifiedBy`), enrolled here, signs with their passphrase. */
      witness: SignAs.optional(),
    }),
    result: z.object({ seq: z.number(), bundle: Sha256Digest }),
  },
} as const satisfies MethodTable;

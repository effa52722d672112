/** People with personal keys: enrolment, removal, and the credentials that sign a decision. */
import { z } from 'zod';
import { Empty, Person } from './common.js';
import type { MethodTable } from './method-table.js';

/** Who decides, and the passphrase that opens their personal key. Never persisted, logged or recorded. */
export const SignAs = z.object({ name: z.string().trim().min(1).max(120), passphrase: z.string().min(1).max(1024) });
export type SignAs = z.infer<typeof SignAs>;

export const PersonRecord = z.object({
  name: z.string(),
  role: z.string().optional(),
  /** sha256 of the personal key's SPKI DER, hex. */
  fingerprint: z.string(),
  enrolledAt: z.string(),
  /** Who signed the enrolment: a second person, or the person themselves. */
  enrolledBy: Person,
  seq: z.number(),
  removed: z.object({ at: z.string(), by: Person, reason: z.string() }).optional(),
});
export type PersonRecord = z.infer<typeof PersonRecord>;

export const peopleMethods = {
  /** Everyone ever enrolled, oldest first; removed people carry `removed`. */
  'people.list': { params: Empty, result: z.object({ people: z.array(PersonRecord), twoPersonRule: z.boolean() }) },
  /**
   * Enrols a person with a new personal key sealed with their passphrase. With the two-person rule
   * on (and two people enrolled), `sponsor` (an enrolled second person) signs the enrolment.
   */
  'people.add': {
    params: z.object({
      name: z.string().trim().min(1).max(120),
      role: z.string().trim().min(1).max(60),
      passphrase: z.string().min(1).max(1024),
      sponsor: SignAs.optional(),
    }),
    result: PersonRecord,
  },
  /** Removes a person, signed by `as` (a second person while the two-person rule is on). */
  'people.remove': {
    params: z.object({ name: z.string().trim().min(1).max(120), reason: z.string().trim().min(1).max(500), as: SignAs }),
    result: PersonRecord,
  },
} as const satisfies MethodTable;

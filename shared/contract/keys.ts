/** Keys: the site's signing key and the keys it trusts. */
import { z } from 'zod';
import { Empty, Person } from './common.js';
import { SignAs } from './people.js';
import type { MethodTable } from './method-table.js';

export const TrustedKeyRecord = z.object({
  fingerprint: z.string(),
  name: z.string().optional(),
  /** Where the key is pinned; absent once revoked. */
  file: z.string().optional(),
  trustedAt: z.string().optional(),
  trustedBy: Person.optional(),
  source: z.string().optional(),
  revoked: z.object({ at: z.string(), by: Person, reason: z.string() }).optional(),
});

export type TrustedKeyRecord = z.infer<typeof TrustedKeyRecord>;

export const keysMethods = {
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
   * where it came from (the file) in errors and in the ledger, else "pasted in the app". Once anyone
   * is enrolled at the site, an enrolled person (`as`) signs it: without, REFUSED with details.signAs = 'needed'.
   */
  'keys.trust': {
    params: z.object({
      pem: z.string().min(1).max(10_000),
      source: z.string().min(1).max(4096).optional(),
      /** Whose key it is (a site, a team), recorded with it. */
      name: z.string().trim().min(1).max(200).optional(),
      as: SignAs.optional(),
    }),
    result: z.object({ fingerprint: z.string(), file: z.string() }),
  },
  /** Every key this site trusts or trusted: whose, trusted when and by whom, revoked when, by whom and why. */
  'keys.list': {
    params: Empty,
    result: z.object({ keys: z.array(TrustedKeyRecord) }),
  },
  /** Withdraws trust in a key (key.revoked, signed by the enrolled person `as`): bundles it signed are refused from now on, naming the revocation. */
  'keys.revoke': {
    params: z.object({ fingerprint: z.string().trim().min(6).max(80), reason: z.string().trim().min(1).max(500), as: SignAs }),
    result: z.object({ fingerprint: z.string(), seq: z.number() }),
  },
} as const satisfies MethodTable;

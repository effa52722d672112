/** Keys: the site's signing key and the keys it trusts. */
import { z } from 'zod';
import { Empty } from './common.js';
import type { MethodTable } from './method-table.js';

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
   * where it came from (the file) in errors and in the ledger, else "pasted in the app".
   */
  'keys.trust': {
    params: z.object({ pem: z.string().min(1).max(10_000), source: z.string().min(1).max(4096).optional() }),
    result: z.object({ fingerprint: z.string(), file: z.string() }),
  },
} as const satisfies MethodTable;

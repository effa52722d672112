import fs from 'node:fs/promises';
import type { provenanceMethods } from '../../shared/contract/provenance.js';
import { fingerprintOf, parseP256PublicKey } from '../keys/keys.js';
import { RegistryClient } from '../registry/client.js';
import { parseReference } from '../registry/reference.js';
import { accessOf, credentialsFor, type Methods } from '../rpc/context.js';
import { trustedKeysFor } from '../transfer/trusted-keys.js';
import type { CandidateKey } from './verify.js';
import { verifyProvenance } from './verify.js';

export const provenanceHandlers: Methods<typeof provenanceMethods> = {
  async 'provenance.verify'(params, ctx) {
    const engine = ctx.engine();
    const ref = parseReference(params.ref);
    let keys: CandidateKey[];
    if (params.keys?.length) {
      keys = [];
      for (const file of params.keys) {
        const pem = await fs.readFile(file, 'utf8');
        keys.push({ fingerprint: fingerprintOf(parseP256PublicKey(pem, file)), publicKeyPem: pem, name: file });
      }
    } else {
      const trusted = (await trustedKeysFor(engine, [])).filter((k) => !k.revoked && k.publicKeyPem !== '');
      keys = [
        { fingerprint: engine.siteKey.fingerprint, publicKeyPem: engine.siteKey.publicKeyPem, name: 'this site' },
        ...trusted.map((k) => ({ fingerprint: k.fingerprint, publicKeyPem: k.publicKeyPem, ...(k.name ? { name: k.name } : {}) })),
      ];
    }
    const { source } = await credentialsFor(ctx, [ref.registry]);
    const client = new RegistryClient(ref.registry, source, accessOf(params.access));
    try {
      return { ref: params.ref, ...(await verifyProvenance(client, ref, keys)) };
    } finally {
      await client.close();
    }
  },
};

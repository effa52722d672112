import type { Methods } from '../rpc/context.js';
import { listTrustedKeys, siteKeyPaths, trustKeyPem } from './keys.js';
import type { keysMethods } from '../../shared/contract/keys.js';

export const keysHandlers: Methods<typeof keysMethods> = {
  async 'keys.show'(_params, ctx) {
    const engine = ctx.engine();
    const trusted = await listTrustedKeys(engine.home);
    return {
      fingerprint: engine.siteKey.fingerprint,
      publicKeyPem: engine.siteKey.publicKeyPem,
      publicKeyFile: siteKeyPaths(engine.home).publicKey,
      trusted: trusted.map((k) => ({ fingerprint: k.fingerprint, file: k.file })),
    };
  },
  async 'keys.trust'(params, ctx) {
    const engine = ctx.engine();
    const key = await trustKeyPem(engine.home, params.pem, params.source ?? 'the pasted key');
    engine.ledger.append('key.trusted', { fingerprint: key.fingerprint, source: params.source ?? 'pasted in the app' });
    return { fingerprint: key.fingerprint, file: key.file };
  },
};

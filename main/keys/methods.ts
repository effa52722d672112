import fs from 'node:fs/promises';
import type { Methods } from '../rpc/context.js';
import { FerryError } from '../util/errors.js';
import { listTrustedKeys, pinTrustedKey, readPublicKeyPem, siteKeyPaths } from './keys.js';
import { trustRecords } from './trust-records.js';
import { activePeople, signDecision } from '../people/people.js';
import type { Engine } from '../engine.js';
import type { SignAs } from '../../shared/contract/people.js';
import type { keysMethods, TrustedKeyRecord } from '../../shared/contract/keys.js';

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
    const read = readPublicKeyPem(params.pem, params.source ?? 'the pasted key');
    // Signed before the key is pinned: a refused signer pins nothing.
    const decision = await trustDecision(engine, params.as, { key: read.fingerprint, ...(params.name ? { name: params.name } : {}) });
    const key = await pinTrustedKey(engine.home, read);
    engine.ledger.append(
      'key.trusted',
      { fingerprint: key.fingerprint, source: params.source ?? 'pasted in the app', ...(params.name ? { name: params.name } : {}), ...decision?.signed },
      decision?.person,
    );
    return { fingerprint: key.fingerprint, file: key.file };
  },
  async 'keys.list'(_params, ctx) {
    const engine = ctx.engine();
    const records = trustRecords(engine.ledger);
    const keys: TrustedKeyRecord[] = [];
    for (const pinned of await listTrustedKeys(engine.home)) {
      keys.push({ ...records.get(pinned.fingerprint), fingerprint: pinned.fingerprint, file: pinned.file });
      records.delete(pinned.fingerprint);
    }
    // Keys the ledger names that are no longer pinned: the revoked ones.
    for (const record of records.values()) if (record.revoked) keys.push(record);
    return { keys };
  },
  async 'keys.revoke'(params, ctx) {
    const engine = ctx.engine();
    const given = params.fingerprint.toLowerCase().replace(/^sha256:/, '');
    const matches = (await listTrustedKeys(engine.home)).filter((k) => k.fingerprint.startsWith(given));
    if (matches.length === 0) {
      throw new FerryError('NOT_FOUND', `No trusted key ${params.fingerprint}: the keys this site trusts are listed by ferry keys list.`, {
        fingerprint: params.fingerprint,
      });
    }
    if (matches.length > 1) throw new FerryError('USAGE', `${params.fingerprint} matches ${matches.length} trusted keys; give more of the fingerprint.`);
    const key = matches[0]!;
    const name = trustRecords(engine.ledger).get(key.fingerprint)?.name;
    const subject = { key: key.fingerprint, ...(name ? { name } : {}) };
    const { person, signed } = await signDecision(engine, params.as, 'key.revoke', subject, params.reason);
    // Recorded first: from this line on the key is refused, even if removing its pin file fails.
    const { seq } = engine.ledger.append('key.revoked', { fingerprint: key.fingerprint, reason: params.reason, ...(name ? { name } : {}), ...signed }, person);
    try {
      await fs.rm(key.file, { force: true });
    } catch (err) {
      throw new FerryError(
        'IO',
        `Key ${key.fingerprint} is revoked (ledger line ${seq}): bundles it signed are refused from now on. Its pin file ${key.file} could not be removed (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); remove it by hand to tidy up.`,
        { fingerprint: key.fingerprint, seq, file: key.file },
      );
    }
    return { fingerprint: key.fingerprint, seq };
  },
};

/**
 * Trusting a key lets every bundle it signs import without an officer's override, so once anyone is
 * enrolled at this site it is a decision one of them signs (as revoking one is). Before anyone is
 * enrolled, the operator trusts it, as the ledger records.
 */
async function trustDecision(engine: Engine, as: SignAs | undefined, subject: Record<string, unknown>) {
  if (as) return signDecision(engine, as, 'key.trust', subject);
  if (activePeople(engine.ledger).length === 0) return undefined;
  throw new FerryError(
    'REFUSED',
    'People are enrolled at this site, so trusting a key is a decision one of them signs: say who trusts it and give their passphrase.',
    {
      signAs: 'needed',
    },
  );
}

import path from 'node:path';
import type { SignAs } from '../../shared/rpc.js';
import { eventOfType } from '../../shared/ledger-events.js';
import { openBundle } from '../bundle/open.js';
import { BUNDLE_FILES } from '../bundle/write.js';
import type { Engine } from '../engine.js';
import { readTrustFiles, untrustedSigner, type TrustedKey } from '../keys/keys.js';
import { eventOfLine } from '../ledger/chain.js';
import { signDecision } from '../people/people.js';
import { FerryError } from '../util/errors.js';
import { trustedKeysFor } from './trusted-keys.js';

/**
 * An override of a refusal, as the design allows it: a bundle whose signature verifies but whose
 * signer this site does not trust is imported once, with a reason and the signed approval of an
 * enrolled officer, recorded (import.override) before the import starts. A signature that does not
 * verify, a damaged volume or a revoked key is never overridden.
 */
export async function recordOverride(
  engine: Engine,
  params: { dir: string; reason: string; as: SignAs },
): Promise<{ seq: number; bundle: string; signer: string }> {
  const dir = path.resolve(params.dir);
  const trusted = await trustedKeysFor(engine, []);
  const opened = await openBundle(dir, trusted);
  const fingerprint = opened.signer.fingerprint;
  if (opened.signer.trusted) throw new FerryError('USAGE', `${dir} is signed by a trusted key (${fingerprint}): there is nothing to override.`, { dir });
  const why = untrustedSigner(fingerprint, trusted);
  if (why.revoked) throw new FerryError('UNTRUSTED', `${why.message} A revoked key is never overridden.`, { fingerprint, revoked: true });
  const reason = params.reason.trim();
  const subject = { bundle: opened.bundleDigest, dir, bundleSigner: fingerprint };
  const { person, signed } = await signDecision(engine, params.as, 'import.override', subject, reason);
  const { seq } = engine.ledger.append('import.override', { dir, bundle: opened.bundleDigest, bundleSigner: fingerprint, reason, ...signed }, person);
  return { seq, bundle: opened.bundleDigest, signer: fingerprint };
}

/** The key an override recorded at line `seq` lets this import trust: the bundle's own signer key, checked against the recorded fingerprint. */
export async function overriddenKey(engine: Engine, seq: number, dir: string): Promise<{ key: TrustedKey; bundle: string }> {
  const [line] = engine.ledger.lines({ from: seq, to: seq });
  const event = eventOfType(eventOfLine(line ?? ''), 'import.override');
  if (!event || path.resolve(event.dir) !== path.resolve(dir)) {
    throw new FerryError(
      'USAGE',
      `Ledger line ${seq} is not an override for ${path.resolve(dir)}. Record one with a reason and an officer's signature first.`,
      {
        seq,
      },
    );
  }
  const [key] = await readTrustFiles([path.join(dir, BUNDLE_FILES.signer)]);
  if (!key || key.fingerprint !== event.bundleSigner) {
    throw new FerryError('UNTRUSTED', `The signer key in ${dir} is not the one the override at ledger line ${seq} approved (${event.bundleSigner}).`, { seq });
  }
  return { key: { ...key, file: `override, ledger line ${seq}` }, bundle: event.bundle };
}

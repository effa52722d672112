import type { KeyObject } from 'node:crypto';
import type { BundleArtifact } from '../../shared/bundle.js';
import type { RegistryClient } from '../registry/client.js';
import type { PushedArtifact } from '../registry/push.js';
import type { UploadSessions } from '../registry/upload-sessions.js';
import { FerryError } from '../util/errors.js';
import { storeAttestation, type StoredAttestation } from './attest.js';
import { signEnvelope } from './dsse.js';
import { transferStatement, type TransferFacts } from './statement.js';

/** The importing site's key and what it states of this transfer, asked for once everything is pushed. */
export interface Attester {
  key: KeyObject;
  facts: () => TransferFacts;
}

/** What a pushed artifact's row of the import gains: its attestation, or what it is attached to. */
export interface AttestedRow {
  attestation?: StoredAttestation;
  attached?: number;
  attachment?: { kind: string; subject: string };
  /** Why the artifact has no attestation although it was pushed. */
  attestationProblem?: string;
}

/** The fields of a row that say something, as the ledger's import.completed keeps them. */
export function attestedFields({ attestation, attached, attachment, attestationProblem }: AttestedRow): AttestedRow {
  return {
    ...(attestation ? { attestation } : {}),
    ...(attached ? { attached } : {}),
    ...(attachment ? { attachment } : {}),
    ...(attestationProblem ? { attestationProblem } : {}),
  };
}

function attachmentOf(a: BundleArtifact | undefined): { kind: string; subject: string } | undefined {
  return typeof a?.attachment === 'string' && typeof a.subject === 'string' ? { kind: a.attachment, subject: a.subject } : undefined;
}

/**
 * After the push is committed: each pushed artifact that is not itself attached to another gets
 * Ferry's transfer attestation (an in-toto Statement in a DSSE envelope signed by this site's key),
 * stored beside it as cosign and the referrers API expect. Rows come back in `pushed` order.
 */
export async function attestTransfer(
  client: RegistryClient,
  pushed: readonly PushedArtifact[],
  artifacts: readonly BundleArtifact[],
  sessions: UploadSessions,
  attester: Attester | undefined,
): Promise<AttestedRow[]> {
  const facts = attester?.facts();
  const rows: AttestedRow[] = [];
  for (const p of pushed) {
    const artifact = artifacts.find((a) => a.kind === p.kind && a.ref === p.ref);
    const attachment = attachmentOf(artifact);
    if (attachment) {
      rows.push({ attachment });
      continue;
    }
    const attached = artifacts.filter((a) => attachmentOf(a)?.subject === p.digest).length;
    if (!attester || !facts || !artifact) {
      rows.push(attached > 0 ? { attached } : {});
      continue;
    }
    const statement = transferStatement({ name: `${p.registry}/${p.repository}`, digest: p.digest, sourceRef: p.ref, kind: p.kind }, facts);
    const envelope = Buffer.from(JSON.stringify(signEnvelope(statement, attester.key)));
    const carried = attached > 0 ? { attached } : {};
    try {
      const subject = { digest: p.digest, mediaType: artifact.mediaType, size: artifact.size };
      rows.push({ attestation: await storeAttestation(client, p.repository, subject, envelope, sessions), ...carried });
    } catch (err) {
      // The artifact is pushed and committed: a registry that refuses the attestation (an immutable
      // .att tag, a policy) leaves it unattested, said and recorded, not the import undone.
      if (err instanceof FerryError && err.code === 'CANCELLED') throw err;
      rows.push({ attestationProblem: `${client.registry} did not take the transfer attestation: ${(err as Error).message}`, ...carried });
    }
  }
  return rows;
}

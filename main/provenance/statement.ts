import { canonicalJson } from '../util/canonical-json.js';

export const IN_TOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';

/**
 * The predicate type of Ferry's transfer attestation (README, "Provenance"): the subject crossed an
 * air gap in a signed bundle, verified at the importing site before it was pushed.
 */
export const TRANSFER_PREDICATE_TYPE = 'https://ferry.dev/attestations/transfer/v1';

export interface PersonFact {
  name: string;
  role?: string;
}

/** What the importing site knows of a transfer; the same for every artifact of one import. */
export interface TransferFacts {
  bundle: { digest: string; name: string };
  exporter: {
    /** The bundle signer's key fingerprint (hex sha256 of its SPKI DER). */
    signer: string;
    /** The exporter's ledger checkpoint carried in the signed bundle, and whether its signature verified. */
    checkpoint: { ledgerId: string; count: number; head: string; time: string } | null;
    checkpointValid: boolean;
  };
  importer: { signer: string; ledgerId: string; checkpoint: { count: number; head: string } };
  /** Who approved the export (the exporter's lines carried in the bundle), with the key each signed with. */
  approvals: { by: PersonFact; at: string; signer?: string }[];
  /** Media ids this site recorded for the bundle (arrival handoffs, staged discs). */
  media: string[];
  exportedAt: string;
  importedAt: string;
  ferryVersion: string;
}

export interface TransferSubject {
  /** registry/repository where the artifact now is. */
  name: string;
  digest: string;
  /** The reference it was exported from. */
  sourceRef: string;
  kind: string;
}

/** The in-toto Statement v1 for one pushed artifact, as canonical JSON bytes (the DSSE payload). */
export function transferStatement(subject: TransferSubject, facts: TransferFacts): Buffer {
  return Buffer.from(
    canonicalJson({
      _type: IN_TOTO_STATEMENT_V1,
      subject: [{ name: subject.name, digest: { sha256: subject.digest.replace(/^sha256:/, '') } }],
      predicateType: TRANSFER_PREDICATE_TYPE,
      predicate: { ...facts, artifact: { kind: subject.kind, sourceRef: subject.sourceRef } },
    }),
  );
}

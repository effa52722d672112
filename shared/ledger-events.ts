import { z } from 'zod';

/**
 * Every ledger event type the engine writes, with its fields (design: ledger.md). Appends are typed
 * by this list; readers parse with it. The wizard's labels and timeline filter come from
 * ledger-event-labels.ts, which must name exactly these types (checked when compiling).
 *
 * Stored lines are evidence and are never rewritten, so reading is permissive: a field this version
 * does not know is never a reason to refuse a line (kept at the top level, looseObject; ignored
 * inside nested objects), and a field an earlier version did not write is optional. Writing is
 * exact: a typo or a missing field in a writer fails to compile.
 */

const Text = z.string();
const Count = z.number();

/** The person at the keyboard (the operator), a requester, approver, witness or reviewer. */
export const EventPerson = z.object({ name: Text, role: Text.optional() });
export type EventPerson = z.infer<typeof EventPerson>;

/** Why something failed or was refused: an error code of shared/errors.ts and its message. */
const Failure = z.object({ code: Text, message: Text });

/** One artifact as an export request, approval or completion records it. */
const ArtifactSummary = z.object({
  kind: Text,
  ref: Text,
  digest: Text,
  size: Count,
  platforms: z.array(z.unknown()).optional(),
  /** The licences the source states ([] when it states none); absent in lines written before Ferry recorded them. */
  licences: z.array(Text).optional(),
  /** A signature, attestation, SBOM or referrer carried with its subject (an image or chart of the same bundle). */
  attachment: z.object({ kind: Text, subject: Text }).optional(),
});

/** A volume file of a bundle; `sha256` is bare hex. */
const Volume = z.object({ file: Text, size: Count, sha256: Text });

/** A medium as the security officer records it (media.written/verified) or names it (media.disposition). */
const Medium = z.object({ id: Text, label: Text.optional(), type: Text.optional(), seal: Text.optional() });

const Signer = z.object({
  fingerprint: Text,
  signatureValid: z.boolean().optional(),
  trusted: z.boolean().optional(),
  trustedKeyFile: Text.optional(),
  name: Text.optional(),
  revoked: z.object({ at: Text, by: EventPerson, reason: Text }).optional(),
});

/** Import targets by name: ollama, hf, dir, installer folders and the registry. */
const Targets = z.record(z.string(), Text);

/**
 * A decision signed by the enrolled person who made it: `statement` says what is decided (decision,
 * subject, person with their key's fingerprint, time); `signature` is base64 DER ECDSA SHA-256 over
 * the RFC 8785 canonical JSON of `statement`; `signer` is the fingerprint of the person's key (the
 * sha256 of its SPKI DER). Optional on types earlier versions wrote unsigned.
 */
const Signed = {
  statement: z.record(z.string(), z.unknown()),
  signature: Text,
  signer: Text,
};
const MaybeSigned = {
  statement: Signed.statement.optional(),
  signature: Text.optional(),
  signer: Text.optional(),
};

const Decision = z.object({ job: Text, requester: EventPerson, artifacts: Count, reason: Text.optional(), ...MaybeSigned });
const ExportEnded = z.object({ job: Text, error: Failure });
const ImportEnded = z.object({ job: Text, bundle: Text, targets: Targets, error: Failure });
/** Stopped by the user; while the bundle is still being verified it has no digest yet, so the bundle folder is named. */
const ImportStopped = ImportEnded.extend({ bundle: Text.optional(), dir: Text.optional() });

/** The exporter's checkpoint an import witnesses; earlier versions recorded `lines` as a count. */
const WitnessedCheckpoint = z.object({
  checkpoint: Text,
  checkpointSignature: Text,
  checkpointValid: z.boolean(),
  ledgerId: Text.nullable(),
  lines: z.union([z.array(Text), Count]),
  previousBundle: Text.nullable(),
});

const EVENT_FIELDS = {
  'ledger.created': z.object({}),
  'key.created': z.object({ fingerprint: Text, purpose: Text }),
  /** `name`: whose key it is, as given. Signed by the person trusting it once anyone is enrolled at the site. */
  'key.trusted': z.object({ fingerprint: Text, source: Text, name: Text.optional(), ...MaybeSigned }),
  /** Trust withdrawn: bundles signed by this key are refused from now on. */
  'key.revoked': z.object({ fingerprint: Text, reason: Text, name: Text.optional(), ...MaybeSigned }),
  /**
   * A change of settings. Turning the two-person rule on or off is signed by the person deciding;
   * switching it off while it is on carries out `request`, a rule.change.requested by someone else.
   */
  'settings.changed': z.object({
    twoPersonRule: z.boolean().optional(),
    dispositionDueDays: Count.optional(),
    request: Text.optional(),
    requester: EventPerson.optional(),
    ...MaybeSigned,
  }),
  /** Someone asked for the two-person rule to change; a second enrolled person decides. */
  'rule.change.requested': z.object({ request: Text, twoPersonRule: z.boolean(), ...Signed }),
  /** The request declined (or withdrawn by the requester), with why. */
  'rule.change.rejected': z.object({ request: Text, requester: EventPerson, reason: Text, ...Signed }),

  /**
   * A person enrolled with their personal key (ECDSA P-256; the private part sealed with their
   * passphrase, kept by Ferry). Signed by the sponsor (an enrolled second person) when the
   * two-person rule is on, else by the new key itself.
   */
  'person.enrolled': z.object({ person: EventPerson, fingerprint: Text, publicKey: Text, sponsor: EventPerson.optional(), ...Signed }),
  /** A person's key no longer decides anything from this line on. */
  'person.removed': z.object({ person: EventPerson, fingerprint: Text, reason: Text, ...Signed }),

  'export.requested': z.object({
    job: Text,
    out: Text,
    name: Text,
    volumeSize: Count,
    artifacts: z.array(ArtifactSummary),
    /** What an approval covers besides the content (destination, name, cut, selection, registry options). */
    request: z.record(z.string(), z.unknown()).optional(),
    approvalRequired: z.boolean().optional(),
  }),
  'export.approved': Decision,
  'export.rejected': Decision,
  'export.withdrawn': z.object({ job: Text, reason: Text.optional(), supersededBy: Text.optional() }),
  'export.started': z.object({
    job: Text,
    tarSize: Count,
    approvedBy: EventPerson.optional(),
    approval: Count.optional(),
    /** A resumed export: the volumes an earlier run of the same job completed, checked and kept, and their bytes. */
    resumed: z.object({ volumes: Count, bytes: Count }).optional(),
  }),
  'export.completed': z.object({
    job: Text,
    bundle: Text,
    name: Text,
    dir: Text,
    artifacts: z.array(ArtifactSummary),
    volumes: z.array(Volume),
    /** Laid out as discs: each disc's folder in `dir` and its volumes. */
    discs: z.array(z.object({ folder: Text, volumes: z.array(Text) })).optional(),
    /** What the export carried on without (a signature that could not be fetched). */
    warnings: z.array(Text).optional(),
  }),
  /** A failure after some volumes were complete keeps them: the same export continues from them. */
  'export.failed': ExportEnded.extend({ volumesKept: Count.optional() }),
  'export.cancelled': ExportEnded,
  /** Stopped by Pause (or Ctrl-C on the command line): the complete volumes are kept, and the same export continues from them. */
  'export.paused': ExportEnded.extend({ volumesKept: Count.optional() }),

  'media.written': z.object({ bundle: Text, name: Text, medium: Medium, volumes: z.array(Text), dir: Text }),
  'media.verified': z.object({
    bundle: Text,
    name: Text,
    medium: Medium,
    dir: Text,
    volumes: z.array(z.object({ file: Text, sha256: Text, result: Text, actual: Text.optional() })),
    elsewhere: z.array(Text),
    result: z.enum(['ok', 'failed']),
  }),
  'media.staged': z.object({
    bundle: Text,
    name: Text,
    from: Text,
    to: Text,
    signer: Text,
    onThisDisc: z.array(Text),
    volumes: z.array(Volume),
    alreadyStaged: z.array(Text),
    missing: z.array(Text),
    complete: z.boolean(),
    /** The disc as recorded: id, label, seal. */
    medium: Medium.optional(),
    /** The disc held volumes only, checked against the signed SHA256SUMS already staged. */
    volumesOnly: z.boolean().optional(),
  }),
  'media.rejected': z.object({
    from: Text,
    to: Text,
    bundle: Text.optional(),
    name: Text.optional(),
    signer: Text.optional(),
    volume: Text.optional(),
    volumes: z.array(Volume),
    reason: Failure,
  }),
  'custody.handoff': z.object({
    bundle: Text,
    from: EventPerson,
    to: EventPerson,
    place: Text,
    sealIntact: z.boolean(),
    seal: Text.optional(),
    media: z.array(Text),
    notes: Text,
    ...MaybeSigned,
  }),
  'media.disposition': z.object({
    bundle: Text,
    medium: Medium,
    action: z.enum(['returned', 'retained', 'sanitized', 'destroyed']),
    method: Text,
    verifiedBy: EventPerson.optional(),
    notes: Text,
    ...MaybeSigned,
  }),

  'import.verified': z.object({
    job: Text,
    dir: Text,
    bundle: Text,
    name: Text,
    signer: Signer,
    volumes: z.array(z.object({ file: Text, size: Count.optional(), sha256: Text, result: Text })),
    volumesReadInFullAt: Text.optional(),
    exporter: WitnessedCheckpoint,
  }),
  /** Refused before anything was written: unreadable or untrusted bundle (problems), or a target that cannot take it (reason). */
  'import.rejected': z.object({
    job: Text,
    dir: Text,
    bundle: Text.optional(),
    signer: Signer.optional(),
    targets: Targets.optional(),
    problems: z.array(z.object({ code: Text, message: Text, volume: Text.optional() })).optional(),
    reason: Failure.optional(),
  }),
  /** A refusal overridden: a bundle by an untrusted signer imported once, with the reason, signed by an enrolled officer. */
  'import.override': z.object({ dir: Text, bundle: Text, bundleSigner: Text, reason: Text, ...Signed }),
  'import.started': z.object({ job: Text, bundle: Text, targets: Targets, linkedFolders: z.array(z.object({ folder: Text, to: Text })).optional() }),
  'import.completed': z.object({
    job: Text,
    bundle: Text,
    artifacts: z.array(
      z.object({
        kind: Text,
        ref: Text,
        status: Text,
        target: Text.optional(),
        destination: Text.optional(),
        digest: Text.optional(),
        /** Ferry's transfer attestation attached to it in the registry: the envelope's digest and the manifest holding it. */
        attestation: z.object({ envelope: Text, manifest: Text, stored: Text, where: Text }).optional(),
        /** How many signatures, attestations, SBOMs and referrers of the source were pushed beside it. */
        attached: Count.optional(),
        /** It is a signature, attestation, SBOM or referrer of `subject`. */
        attachment: z.object({ kind: Text, subject: Text }).optional(),
        /** Pushed, but the registry did not take the transfer attestation: why. */
        attestationProblem: Text.optional(),
      }),
    ),
    push: z
      .object({
        resumed: z.array(z.object({ blob: Text, offset: Count })),
        restarted: z.array(z.object({ blob: Text, reason: Text })),
      })
      .optional(),
  }),
  'import.failed': ImportEnded,
  'import.cancelled': ImportStopped,
  'import.paused': ImportStopped,

  'review.signed': z.object({
    range: z.object({ from: Count, to: Count }),
    head: Text,
    result: z.enum(['no-findings', 'findings']),
    notes: Text,
    chainOk: z.boolean(),
    problems: z.array(z.object({ seq: Count, message: Text })).optional(),
    ...MaybeSigned,
  }),
  /**
   * A person took an item off Home's "Needs attention": a stopped job they will not resume, or a
   * medium whose disposition is due. The flag behind a medium stays on the Ledger's Flags tab.
   */
  'attention.dismissed': z.object({
    item: z.enum(['job', 'disposition-due', 'media-failed']),
    job: Text.optional(),
    bundle: Text.optional(),
    media: Text.optional(),
    /** What the card said, so the line reads on its own. */
    title: Text,
    /** An export that will not be resumed: the volumes it had kept, removed from its bundle folder. */
    removed: z.object({ dir: Text, volumes: Count }).optional(),
  }),
  /** At every export completion and import (with `job`), ledger export and on demand (with `purpose`). */
  checkpoint: z.object({ count: Count, head: Text, signature: Text, job: Text.optional(), purpose: Text.optional(), out: Text.optional() }),
  'ledger.exported': z.object({ out: Text, count: Count, head: Text, files: z.array(Text) }),
  'ledger.export.failed': z.object({ out: Text, count: Count, head: Text, error: Failure }),
};

export type EventType = keyof typeof EVENT_FIELDS;

/** What a writer passes to append for an event of type T; the ledger adds the envelope. */
export type EventFields<T extends EventType> = z.input<(typeof EVENT_FIELDS)[T]>;

export const EVENT_TYPES = Object.keys(EVENT_FIELDS) as EventType[];

/** Set by the ledger on every event. */
const Envelope = {
  time: Text,
  ledgerId: Text,
  host: Text,
  osUser: Text,
  operator: EventPerson,
};

export type EventEnvelope = { time: string; ledgerId: string; host: string; osUser: string; operator: EventPerson };

/** A stored event of type T as read back: envelope, the type's fields, and any fields this version does not know. */
export type LedgerEventOf<T extends EventType> = { type: T } & EventEnvelope & z.output<(typeof EVENT_FIELDS)[T]>;

/** A stored event, narrowed by `type`. */
export type LedgerEvent = { [T in EventType]: LedgerEventOf<T> }[EventType];

const EVENT_SCHEMAS = EVENT_TYPES.map((type) => z.looseObject({ ...EVENT_FIELDS[type].shape, ...Envelope, type: z.literal(type) }));

export const LedgerEventSchema = z.discriminatedUnion('type', EVENT_SCHEMAS as [(typeof EVENT_SCHEMAS)[number], ...(typeof EVENT_SCHEMAS)[number][]]);

export type ParsedEvent = { ok: true; event: LedgerEvent } | { ok: false; problem: string };

/**
 * Reads one stored event. A line that does not parse is not refused: the caller shows it raw (the
 * chain still covers its bytes) and says why it is not understood.
 */
export function parseLedgerEvent(value: unknown): ParsedEvent {
  const parsed = LedgerEventSchema.safeParse(value);
  if (parsed.success) return { ok: true, event: parsed.data as LedgerEvent };
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as string[]).includes(type)) {
    return { ok: false, problem: `event type ${JSON.stringify(type)} is not one this version of Ferry writes` };
  }
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `${type} field ${issue?.path.join('.') || '(event)'}: ${issue?.message ?? 'not understood'}` };
}

/** The event when it parses as type T, else undefined: for readers that only look at one type. */
export function eventOfType<T extends EventType>(value: unknown, type: T): LedgerEventOf<T> | undefined {
  const parsed = parseLedgerEvent(value);
  return parsed.ok && parsed.event.type === type ? (parsed.event as LedgerEventOf<T>) : undefined;
}

import type { TransferReport } from '../../shared/rpc.js';
import type { Engine } from '../engine.js';
import type { StoredEvent } from '../ledger/ledger.js';
import { personIn } from '../ledger/event-fields.js';
import type { EventPerson } from '../../shared/ledger-events.js';
import { describeEvent, personText } from './describe.js';
import { flagsOfBundle } from './flags.js';
import { carriedLines, queryEvents, resolveBundleIn, type ViewedEvent } from './ledger-view.js';

type Step = TransferReport['steps'][number];

/** Keys every event has, shown elsewhere in a step (time, operator) or not useful to a reader. */
const HIDDEN = new Set(['type', 'time', 'ledgerId', 'host', 'osUser', 'operator', 'lines', 'request']);

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return '';
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  const asPerson = value as { name?: unknown };
  if (typeof asPerson === 'object' && typeof asPerson.name === 'string' && Object.keys(asPerson).every((k) => k === 'name' || k === 'role'))
    return personText(value as EventPerson);
  return JSON.stringify(value);
}

/** Label/value pairs of an event's own fields, one level deep for objects (exporter.checkpoint, medium.seal). */
function detailsOf(event: StoredEvent): [string, string][] {
  const details: [string, string][] = [];
  const put = (label: string, value: unknown) => {
    const text = valueText(value);
    if (text !== '') details.push([label, text.length > 2000 ? `${text.slice(0, 2000)}…` : text]);
  };
  put('Host', `${String(event.host ?? '')} (OS user ${String(event.osUser ?? '')})`);
  for (const [key, value] of Object.entries(event)) {
    if (HIDDEN.has(key)) continue;
    if (value && typeof value === 'object' && !Array.isArray(value) && valueText(value).startsWith('{')) {
      for (const [inner, v] of Object.entries(value as Record<string, unknown>)) if (!HIDDEN.has(inner)) put(`${key}.${inner}`, v);
    } else put(key, value);
  }
  return details;
}

function stepOf(seq: number, event: StoredEvent, origin: Step['origin'] = 'here', extraDetails: [string, string][] = []): Step | null {
  const view = describeEvent(event);
  if (!view.stage) return null;
  return {
    seq,
    stage: view.stage,
    type: String(event.type),
    time: String(event.time),
    operator: personIn(event.operator),
    summary: view.summary,
    origin,
    ...(view.outcome ? { outcome: view.outcome } : {}),
    details: [...extraDetails, ...detailsOf(event)],
  };
}

/** The exporter's lines carried in the bundle, as steps of this report (only where this ledger has no export of its own). */
function carriedSteps(verified: ViewedEvent | undefined): Step[] {
  const ledgerId = String((verified?.event.exporter as { ledgerId?: unknown } | undefined)?.ledgerId ?? '?');
  return carriedLines(verified?.event).flatMap(({ seq, event }) => {
    const step = stepOf(seq, event, 'exporter', [['Recorded in', `the exporter's ledger ${ledgerId}, line ${seq} (carried in the signed bundle)`]]);
    return step ? [step] : [];
  });
}

/** More events than any one bundle gathers (a transfer records tens). */
const MAX_STEPS = 100_000;

/** Another site's lines about this bundle (from its auditor's kit), less those this ledger already shows (its own, or carried in the bundle). */
function otherSiteEvents(others: readonly ViewedEvent[], bundle: string, ownLedgerId: string, carried: ReadonlySet<string>): ViewedEvent[] {
  return others.filter((e) => e.bundle === bundle && e.event.ledgerId !== ownLedgerId && !carried.has(`${String(e.event.ledgerId)}:${e.seq}`));
}

function otherSiteSteps(events: readonly ViewedEvent[]): Step[] {
  return events.flatMap(({ seq, event }) => {
    const step = stepOf(seq, event, 'other-site', [['Recorded in', `another site's ledger ${String(event.ledgerId ?? '?')}, line ${seq} (its auditor's kit)`]]);
    return step ? [step] : [];
  });
}

/**
 * One bundle's whole chain of custody from this ledger: request, approval, export, media, custody,
 * verification, import, disposition. With another site's auditor's kit (`others`), that site's lines
 * about the bundle join it (read-backs, seals, handoffs, dispositions), and settle the flags they answer.
 */
export function transferReport(engine: Engine, given: string, others: readonly ViewedEvent[] = []): TransferReport {
  const bundle = resolveBundleIn(engine.ledger, given);
  const mine = queryEvents(engine.ledger, { bundle }, { order: 'oldest', limit: MAX_STEPS });
  const completed = mine.find((e) => e.event.type === 'export.completed');
  const requested = mine.find((e) => e.event.type === 'export.requested');
  const verified = mine.find((e) => e.event.type === 'import.verified');
  const exportedHere = completed !== undefined;

  // The exporter's carried lines come first: they happened before anything recorded here.
  const steps: Step[] = exportedHere ? [] : carriedSteps(verified);
  for (const e of mine) {
    const step = stepOf(e.seq, e.event);
    if (step) steps.push(step);
  }
  const carriedFrom = String((verified?.event.exporter as { ledgerId?: unknown } | undefined)?.ledgerId ?? '');
  const carried = new Set(exportedHere ? [] : carriedLines(verified?.event).map((c) => `${carriedFrom}:${c.seq}`));
  const elsewhere = otherSiteEvents(others, bundle, engine.ledger.ledgerId, carried);
  if (elsewhere.length > 0) {
    steps.push(...otherSiteSteps(elsewhere));
    // Two ledgers' lines in one story: in the order they happened (stable, so each ledger keeps its own order).
    steps.sort((a, b) => a.time.localeCompare(b.time));
  }
  const carriedRequest = carriedLines(verified?.event).find((c) => c.event.type === 'export.requested')?.event;
  const artifactSource = (completed?.event.artifacts ??
    requested?.event.artifacts ??
    carriedRequest?.artifacts ??
    mine.find((e) => e.event.type === 'import.completed')?.event.artifacts) as
    { kind?: unknown; ref?: unknown; digest?: unknown; size?: unknown; licences?: unknown; attachment?: { kind?: unknown; subject?: unknown } }[] | undefined;
  const artifacts = (artifactSource ?? []).map((a) => ({
    kind: String(a.kind ?? ''),
    ref: String(a.ref ?? ''),
    digest: String(a.digest ?? ''),
    ...(typeof a.size === 'number' ? { size: a.size } : {}),
    ...(Array.isArray(a.licences) ? { licences: a.licences.map(String) } : {}),
    ...(a.attachment ? { attachment: { kind: String(a.attachment.kind ?? ''), subject: String(a.attachment.subject ?? '') } } : {}),
  }));
  const volumeSource = (completed?.event.volumes ?? verified?.event.volumes ?? []) as { file?: unknown; size?: unknown; sha256?: unknown }[];
  const discOf = new Map<string, string>();
  for (const d of (completed?.event.discs ?? []) as { folder?: unknown; volumes?: unknown }[])
    if (typeof d.folder === 'string' && Array.isArray(d.volumes)) for (const v of d.volumes) discOf.set(String(v), d.folder);
  const volumes = volumeSource.map((v) => ({
    file: String(v.file ?? ''),
    ...(typeof v.size === 'number' ? { size: v.size } : {}),
    sha256: String(v.sha256 ?? ''),
    ...(discOf.has(String(v.file)) ? { disc: discOf.get(String(v.file))! } : {}),
  }));

  const media = new Map<string, TransferReport['media'][number]>();
  const mediumFor = (id: string) => {
    if (!media.has(id)) media.set(id, { id, volumes: [] });
    return media.get(id)!;
  };
  for (const e of [...mine, ...elsewhere]) {
    const medium = (e.event.medium ?? {}) as { id?: unknown; label?: unknown; type?: unknown; seal?: unknown };
    if (e.event.type === 'media.written' && typeof medium.id === 'string') {
      const m = mediumFor(medium.id);
      if (typeof medium.label === 'string') m.label = medium.label;
      if (typeof medium.type === 'string') m.type = medium.type;
      if (typeof medium.seal === 'string') m.seal = medium.seal;
      m.volumes = Array.isArray(e.event.volumes) ? e.event.volumes.map(String) : [];
    } else if (e.event.type === 'media.verified' && typeof medium.id === 'string') {
      mediumFor(medium.id).verified = e.outcome === 'ok' ? 'ok' : 'failed';
    } else if (e.event.type === 'media.disposition' && typeof medium.id === 'string') {
      mediumFor(medium.id).disposition = `${String(e.event.action)} (${String(e.event.method)})`;
    } else if (e.event.type === 'custody.handoff') {
      e.media.forEach(mediumFor);
    }
  }

  const lastSeq = mine.length > 0 ? mine[mine.length - 1]!.seq : 0;
  const covering = queryEvents(engine.ledger, { type: 'checkpoint' }, { order: 'oldest', from: lastSeq, limit: 1 }).find(
    (e) => Number(e.event.count) >= lastSeq,
  );
  const exporter = (verified?.event.exporter ?? null) as {
    ledgerId?: unknown;
    checkpoint?: unknown;
    checkpointSignature?: unknown;
    checkpointValid?: unknown;
  } | null;
  const name = [completed, verified, requested].map((e) => e?.event.name).find((n): n is string => typeof n === 'string');
  const signer = verified
    ? String((verified.event.signer as { fingerprint?: unknown } | undefined)?.fingerprint ?? '')
    : exportedHere
      ? engine.siteKey.fingerprint
      : undefined;

  return {
    bundle,
    ...(name ? { name } : {}),
    ledgerId: engine.ledger.ledgerId,
    site: { fingerprint: engine.siteKey.fingerprint },
    generatedAt: new Date().toISOString(),
    ...(signer ? { signer } : {}),
    artifacts,
    volumes,
    media: [...media.values()],
    steps,
    ...(exporter && typeof exporter.checkpoint === 'string'
      ? {
          exporterCheckpoint: {
            ledgerId: typeof exporter.ledgerId === 'string' ? exporter.ledgerId : null,
            text: exporter.checkpoint,
            signature: String(exporter.checkpointSignature ?? ''),
            valid: exporter.checkpointValid === true,
          },
        }
      : {}),
    ...(covering ? { checkpoint: { seq: covering.seq, count: Number(covering.event.count), head: String(covering.event.head) } } : {}),
    flags: flagsOfBundle(engine.ledger, bundle, others),
  };
}

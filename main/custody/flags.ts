import type { FlagKind, ReconciliationFlag } from '../../shared/rpc.js';
import type { OpenFlagRow } from '../ledger/bundle-state-queries.js';
import { eventOfLine } from '../ledger/chain.js';
import type { Ledger } from '../ledger/ledger.js';
import { describeEvent } from './describe.js';
import type { ViewedEvent } from './ledger-view.js';

const short = (digest: string) => digest.slice(0, 19);

const ERRORS = new Set<FlagKind>(['missing-bundle', 'checkpoint-invalid', 'export-not-approved', 'import-rejected', 'seal-broken', 'media-failed']);

export interface FlagPage {
  flags: ReconciliationFlag[];
  /** Open flags in all (this page is a part of them). */
  total: number;
  counts: Partial<Record<FlagKind, number>>;
}

/**
 * What reconciliation finds, a page at a time, from the materialised bundle state (ledger/bundle-projection.ts
 * keeps the rules): gaps in each exporter's previousBundle chain, imports without their export
 * record, refusals and failed read-backs not later made good, media never dispositioned, exports
 * that skipped the two-person rule, broken seals. Given another site's ledger (`others`), bundles
 * exported on either side and imported on neither follow the ledger's own flags.
 */
export function reconciliationFlags(
  ledger: Ledger,
  page: { limit: number; offset: number; kind?: FlagKind | undefined },
  others: readonly ViewedEvent[] = [],
): FlagPage {
  const settled = settledElsewhere(others);
  if (settled.size > 0) return flagsSettledElsewhere(ledger, page, others, settled);
  const counts: Partial<Record<FlagKind, number>> = ledger.bundleState.flagCounts();
  const notImported = others.length > 0 && (page.kind === undefined || page.kind === 'not-imported') ? notImportedFlags(ledger, others) : [];
  if (notImported.length > 0) counts['not-imported'] = notImported.length;
  const own = page.kind === 'not-imported' ? 0 : page.kind ? (counts[page.kind] ?? 0) : Object.values(counts).reduce((a, b) => a + b, 0) - notImported.length;
  const rows = page.offset < own ? ledger.bundleState.openFlags(page) : [];
  const flags = rows.map((row) => flagOf(ledger, row));
  const from = Math.max(0, page.offset - own);
  flags.push(...notImported.slice(from, from + page.limit - flags.length));
  return { flags, total: own + notImported.length, counts };
}

/** The open flags of one bundle, in ledger order, less those another site's ledger (`others`) settles. */
export function flagsOfBundle(ledger: Ledger, bundle: string, others: readonly ViewedEvent[] = []): ReconciliationFlag[] {
  const settled = settledElsewhere(others);
  return ledger.bundleState
    .flagsOf(bundle)
    .filter((row) => !settles(settled, row))
    .map((row) => flagOf(ledger, row));
}

/**
 * What another site's ledger settles of this one's flags: a medium it dispositioned (the disc it
 * destroyed), and a bundle whose media it read back. Keys: "disposed\0BUNDLE\0MEDIUM", "read\0BUNDLE".
 */
function settledElsewhere(others: readonly ViewedEvent[]): Set<string> {
  const settled = new Set<string>();
  for (const e of others) {
    if (!e.bundle) continue;
    const medium = (e.event.medium as { id?: unknown } | undefined)?.id;
    if (e.event.type === 'media.disposition' && typeof medium === 'string') settled.add(`disposed\0${e.bundle}\0${medium}`);
    if (e.event.type === 'media.verified' && e.event.result === 'ok') settled.add(`read\0${e.bundle}`);
  }
  return settled;
}

function settles(settled: ReadonlySet<string>, row: OpenFlagRow): boolean {
  if (row.kind === 'media-not-dispositioned') return settled.has(`disposed\0${row.bundle ?? ''}\0${row.media ?? ''}`);
  if (row.kind === 'media-not-read-back') return settled.has(`read\0${row.bundle ?? ''}`);
  return false;
}

/**
 * With another site's ledger that settles some flags, every open flag is read and those settled are
 * left out before the page is cut (an explicit comparison, so reading them all is the price).
 */
function flagsSettledElsewhere(
  ledger: Ledger,
  page: { limit: number; offset: number; kind?: FlagKind | undefined },
  others: readonly ViewedEvent[],
  settled: ReadonlySet<string>,
): FlagPage {
  const all = Object.values(ledger.bundleState.flagCounts()).reduce((a, b) => a + b, 0);
  const own =
    page.kind === 'not-imported' ? [] : ledger.bundleState.openFlags({ limit: Math.max(all, 1), offset: 0, ...(page.kind ? { kind: page.kind } : {}) });
  const open = own.filter((row) => !settles(settled, row));
  const counts: Partial<Record<FlagKind, number>> = {};
  for (const row of open) counts[row.kind as FlagKind] = (counts[row.kind as FlagKind] ?? 0) + 1;
  const notImported = page.kind === undefined || page.kind === 'not-imported' ? notImportedFlags(ledger, others) : [];
  if (notImported.length > 0) counts['not-imported'] = notImported.length;
  const flags = [...open.slice(page.offset, page.offset + page.limit).map((row) => flagOf(ledger, row))];
  const from = Math.max(0, page.offset - open.length);
  flags.push(...notImported.slice(from, from + page.limit - flags.length));
  return { flags, total: open.length + notImported.length, counts };
}

function flagOf(ledger: Ledger, row: OpenFlagRow): ReconciliationFlag {
  const kind = row.kind as FlagKind;
  const bundle = row.bundle ?? undefined;
  const bundleName = row.name ?? undefined;
  const base = {
    kind,
    severity: ERRORS.has(kind) ? 'error' : 'warning',
    seq: row.seq,
    ...(bundle ? { bundle } : {}),
    ...(bundleName ? { bundleName } : {}),
    ...(row.media ? { media: row.media } : {}),
  } as const;
  const b = short(bundle ?? '?');
  switch (kind) {
    case 'missing-bundle': {
      const previous = short(row.subject ?? '?');
      return {
        ...base,
        message: `Bundle ${b} names ${previous} as the previous bundle of exporter ${row.signer ?? '?'}, but ${previous} never arrived here. Ask the exporting site what it carried and where it is.`,
      };
    }
    case 'checkpoint-invalid':
      return { ...base, message: `The exporter's ledger checkpoint carried in ${b} does not verify with the signer's key.` };
    case 'no-export-record':
      return { ...base, message: `Bundle ${b} carries no export record of its own (no export.requested or export.started line from the exporter's ledger).` };
    case 'export-not-approved':
      return summaryOf(ledger, row.seq).type === 'import.verified'
        ? { ...base, message: `Bundle ${b} needed a second person's approval at the exporter, but carries no export.approved line.` }
        : { ...base, message: `An export started at line ${row.seq} while the two-person rule was on, without an approval.` };
    case 'import-rejected':
      return { ...base, message: `Import refused: ${summaryOf(ledger, row.seq).summary}` };
    case 'seal-broken':
      return {
        ...base,
        message: `The seal was not intact at the handoff ${summaryOf(ledger, row.seq).summary.replace(/, seal NOT intact$/, '')}. Verify every volume before use (ferry verify) and record what was seen.`,
      };
    case 'media-not-read-back':
      return {
        ...base,
        message: `Bundle ${b} was exported, but none of its media was read back. Read each medium back before it leaves (the bundle's page, or ferry media verify DIR).`,
      };
    case 'media-failed':
      return {
        ...base,
        message: `Medium ${row.media ?? '?'} did not read back correctly (${summaryOf(ledger, row.seq).summary}). Rewrite it or use another, and verify again.`,
      };
    default:
      return {
        ...base,
        message: `Medium ${row.media ?? '?'} (bundle ${b}) has no recorded disposition: record whether it was returned, retained, sanitized or destroyed.`,
      };
  }
}

function summaryOf(ledger: Ledger, seq: number): { type: string; summary: string } {
  const [line] = ledger.lines({ from: seq, to: seq });
  const event = eventOfLine(line ?? '');
  return event ? { type: String(event.type), summary: describeEvent(event).summary } : { type: '', summary: `line ${seq} cannot be read` };
}

/** Bundles exported on either side and imported on neither (only with another site's ledger loaded). */
function notImportedFlags(ledger: Ledger, others: readonly ViewedEvent[]): ReconciliationFlag[] {
  const imported = new Set(others.filter((e) => e.event.type === 'import.completed' && e.bundle).map((e) => e.bundle!));
  for (const e of ledger.events({ type: 'import.completed' })) if (typeof e.event.bundle === 'string') imported.add(e.event.bundle);
  const exported = [
    ...ledger.events({ type: 'export.completed' }).map((e) => e.event),
    ...others.filter((e) => e.event.type === 'export.completed').map((e) => e.event),
  ];
  return exported
    .filter((event) => typeof event.bundle === 'string' && !imported.has(event.bundle))
    .map((event) => ({
      kind: 'not-imported' as const,
      severity: 'warning' as const,
      bundle: String(event.bundle),
      message: `Bundle ${short(String(event.bundle))} (${String(event.name ?? '')}) was exported but neither ledger records its import.`,
    }));
}

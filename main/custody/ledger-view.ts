import type { LedgerFilter } from '../../shared/rpc.js';
import { eventOfLine, parseEventJson, splitLine } from '../ledger/chain.js';
import type { Ledger, StoredEvent } from '../ledger/ledger.js';
import { FerryError } from '../util/errors.js';
import { describeEvent, type EventView } from './describe.js';

/** One ledger event with the bundle it belongs to (found through its job when the event itself names none). */
export interface ViewedEvent extends EventView {
  seq: number;
  event: StoredEvent;
  bundle?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Checks an ISO time filter and returns it as epoch ms; a bare date (2026-11-22) is that whole UTC day. */
function timeBound(value: string | undefined, field: 'since' | 'until'): number | undefined {
  if (value === undefined || value === '') return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms))
    throw new FerryError('USAGE', `--${field} "${value}" is not a date or time; use ISO 8601, e.g. 2026-11-22 or 2026-11-22T14:00:00Z.`, { field });
  return dateOnly && field === 'until' ? ms + 24 * 3600 * 1000 - 1 : ms;
}

/**
 * One page of the timeline through the derived index: the filters run in SQLite, and only the
 * page's lines are read and described (O(page), whatever the ledger's length). The person filter
 * matches anyone the event names: who recorded it, a requester, an approver, from or to, a verifier.
 */
export function queryEvents(
  ledger: Ledger,
  filter: Omit<LedgerFilter, 'limit'>,
  page: { order: 'newest' | 'oldest'; limit: number; from?: number | undefined },
): ViewedEvent[] {
  const since = timeBound(filter.since, 'since');
  const until = timeBound(filter.until, 'until');
  const bundleHex = filter.bundle
    ?.trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  const lines = ledger.query({
    ...page,
    type: filter.type || undefined,
    bundleHex: bundleHex || undefined,
    person: filter.operator?.trim() || undefined,
    media: filter.media?.trim() || undefined,
    outcome: filter.outcome,
    since: since === undefined ? undefined : new Date(since).toISOString(),
    until: until === undefined ? undefined : new Date(until).toISOString(),
  });
  return lines.map(({ seq, line }) => {
    const event = eventOfLine(line);
    if (!event) throw new FerryError('INTEGRITY', `Ledger line ${seq} does not hold a JSON event. Run ledger verify.`, { seq });
    const bundle = typeof event.bundle === 'string' ? event.bundle : typeof event.job === 'string' ? ledger.bundleOfJob(event.job) : undefined;
    return { seq, event, ...(bundle ? { bundle } : {}), ...describeEvent(event) };
  });
}

/** The full digest of a bundle this ledger knows, from a digest or a unique prefix of its hex (at least 6), through the derived index. */
export function resolveBundleIn(ledger: Ledger, given: string): string {
  const prefix = given
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  if (!/^[0-9a-f]{6,64}$/.test(prefix))
    throw new FerryError('USAGE', `"${given}" is not a bundle digest: give sha256:<64 hex> or at least 6 hex characters of it.`, { field: 'bundle' });
  const matches = ledger.bundlesStartingWith(prefix, 5).filter((b) => DIGEST.test(b));
  if (matches.length === 0)
    throw new FerryError(
      'NOT_FOUND',
      `No bundle ${given} in this ledger. The bundles it knows are listed by ferry ledger bundles and on the Ledger's Bundles tab.`,
      { bundle: given },
    );
  if (matches.length > 1)
    throw new FerryError('USAGE', `${given} matches ${matches.length} bundles (${matches.map((m) => m.slice(7, 19)).join(', ')}); give more of the digest.`, {
      bundle: given,
    });
  return matches[0]!;
}

/**
 * The bundle a handoff names: one this ledger knows (by its digest or 6+ hex characters of it), or,
 * at a receiving gate before the import, any full digest (typed or scanned from the transfer form).
 * The handoff then joins the bundle's chain of custody when the bundle is imported.
 */
export function resolveHandoffBundle(ledger: Ledger, given: string): { bundle: string; known: boolean } {
  const full = `sha256:${given
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '')}`;
  try {
    return { bundle: resolveBundleIn(ledger, given), known: true };
  } catch (err) {
    if (!(err instanceof FerryError) || err.code !== 'NOT_FOUND') throw err;
    if (DIGEST.test(full)) return { bundle: full, known: false };
    throw new FerryError(
      'NOT_FOUND',
      `No bundle ${given} in this ledger. To record the media's arrival before the bundle is imported, give its full digest (sha256: and 64 hex characters, printed on the transfer form).`,
      { bundle: given },
    );
  }
}

/** The exporter's own lines carried in a bundle, as an import.verified event records them; unreadable ones are skipped. */
export function carriedLines(verified: StoredEvent | undefined): { seq: number; event: StoredEvent }[] {
  const lines = (verified?.exporter as { lines?: unknown } | undefined)?.lines;
  if (!Array.isArray(lines)) return [];
  return lines.flatMap((line) => {
    const fields = typeof line === 'string' ? splitLine(line) : undefined;
    const event = parseEventJson(fields?.json ?? '');
    return fields && event ? [{ seq: Number(fields.seq), event }] : [];
  });
}

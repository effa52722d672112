import { eventOfType } from '../../shared/ledger-events.js';
import type { ReconciliationFlag } from '../../shared/rpc.js';
import type { StoredEvent } from '../ledger/ledger.js';
import { carriedLines, type ViewedEvent } from './ledger-view.js';

type Exporter = { previousBundle?: unknown; checkpointValid?: unknown };

const short = (digest: string) => digest.slice(0, 19);

function signerOf(event: StoredEvent): string {
  const signer = event.signer as { fingerprint?: unknown } | string | undefined;
  return typeof signer === 'string' ? signer : typeof signer?.fingerprint === 'string' ? signer.fingerprint : '?';
}

/**
 * What reconciliation finds in this ledger (and, given `others`, across another site's ledger):
 * gaps in each exporter's previousBundle chain, imports without their export record, refusals and
 * failed read-backs not later made good, media never dispositioned, exports that skipped the
 * two-person rule, and bundles exported but never imported.
 */
export function reconciliationFlags(events: readonly ViewedEvent[], others: readonly ViewedEvent[] = []): ReconciliationFlag[] {
  const flags: ReconciliationFlag[] = [];
  const imported = events.filter((e) => e.event.type === 'import.verified' && e.bundle);
  const seenFromSigner = new Map<string, Set<string>>();
  for (const e of events) {
    if ((e.event.type === 'import.verified' || e.event.type === 'media.staged' || e.event.type === 'import.rejected') && e.bundle) {
      const signer = signerOf(e.event);
      if (!seenFromSigner.has(signer)) seenFromSigner.set(signer, new Set());
      seenFromSigner.get(signer)!.add(e.bundle);
    }
  }

  const reportedMissing = new Set<string>();
  for (const e of imported) {
    const exporter = (e.event.exporter ?? {}) as Exporter;
    const signer = signerOf(e.event);
    const previous = typeof exporter.previousBundle === 'string' ? exporter.previousBundle : null;
    if (previous && !seenFromSigner.get(signer)?.has(previous) && !reportedMissing.has(previous)) {
      reportedMissing.add(previous);
      flags.push({
        kind: 'missing-bundle',
        severity: 'error',
        bundle: e.bundle!,
        seq: e.seq,
        message: `Bundle ${short(e.bundle!)} names ${short(previous)} as the previous bundle of exporter ${signer}, but ${short(previous)} never arrived here. Ask the exporting site what it carried and where it is.`,
      });
    }
    if (exporter.checkpointValid === false) {
      flags.push({
        kind: 'checkpoint-invalid',
        severity: 'error',
        bundle: e.bundle!,
        seq: e.seq,
        message: `The exporter's ledger checkpoint carried in ${short(e.bundle!)} does not verify with the signer's key.`,
      });
    }
    const carried = carriedLines(e.event).map((c) => c.event);
    if (!carried.some((c) => c.type === 'export.requested' || c.type === 'export.started')) {
      flags.push({
        kind: 'no-export-record',
        severity: 'warning',
        bundle: e.bundle!,
        seq: e.seq,
        message: `Bundle ${short(e.bundle!)} carries no export record of its own (no export.requested or export.started line from the exporter's ledger).`,
      });
    }
    const asked = carried.find((c) => c.type === 'export.requested');
    if (asked?.approvalRequired === true && !carried.some((c) => c.type === 'export.approved')) {
      flags.push({
        kind: 'export-not-approved',
        severity: 'error',
        bundle: e.bundle!,
        seq: e.seq,
        message: `Bundle ${short(e.bundle!)} needed a second person's approval at the exporter, but carries no export.approved line.`,
      });
    }
  }

  const laterOk = (i: number, test: (e: ViewedEvent) => boolean) => events.slice(i + 1).some(test);
  events.forEach((e, i) => {
    if (e.event.type === 'import.rejected' && !laterOk(i, (l) => l.event.type === 'import.verified' && l.bundle === e.bundle && e.bundle !== undefined)) {
      flags.push({
        kind: 'import-rejected',
        severity: 'error',
        seq: e.seq,
        ...(e.bundle ? { bundle: e.bundle } : {}),
        message: `Import refused: ${e.summary}`,
      });
    }
    if (e.event.type === 'custody.handoff' && e.event.sealIntact === false) {
      flags.push({
        kind: 'seal-broken',
        severity: 'error',
        seq: e.seq,
        ...(e.bundle ? { bundle: e.bundle } : {}),
        ...(e.media[0] ? { media: e.media[0] } : {}),
        message: `The seal was not intact at the handoff ${e.summary.replace(/, seal NOT intact$/, '')}. Verify every volume before use (ferry verify) and record what was seen.`,
      });
    }
    if (e.event.type === 'media.verified' && e.outcome === 'failed') {
      const id = e.media[0];
      if (!laterOk(i, (l) => l.event.type === 'media.verified' && l.outcome === 'ok' && l.bundle === e.bundle && l.media[0] === id)) {
        flags.push({
          kind: 'media-failed',
          severity: 'error',
          seq: e.seq,
          bundle: e.bundle!,
          ...(id ? { media: id } : {}),
          message: `Medium ${id ?? '?'} did not read back correctly (${e.summary}). Rewrite it or use another, and verify again.`,
        });
      }
    }
  });

  // Media recorded for a bundle but never returned, retained, sanitized or destroyed.
  const media = new Map<string, { bundle: string; id: string; seq: number }>();
  const disposed = new Set<string>();
  for (const e of events) {
    if (!e.bundle) continue;
    const key = (id: string) => `${e.bundle}\u0000${id}`;
    if (e.event.type === 'media.disposition') e.media.forEach((id) => disposed.add(key(id)));
    else if (e.event.type === 'media.written' || e.event.type === 'media.verified' || e.event.type === 'custody.handoff') {
      for (const id of e.media) if (!media.has(key(id))) media.set(key(id), { bundle: e.bundle, id, seq: e.seq });
    }
  }
  for (const [key, m] of media) {
    if (!disposed.has(key)) {
      flags.push({
        kind: 'media-not-dispositioned',
        severity: 'warning',
        bundle: m.bundle,
        media: m.id,
        seq: m.seq,
        message: `Medium ${m.id} (bundle ${short(m.bundle)}) has no recorded disposition: record whether it was returned, retained, sanitized or destroyed.`,
      });
    }
  }

  // The two-person rule, replayed: an export started while the rule was on must name its approval.
  let ruleOn = false;
  for (const e of events) {
    const setting = eventOfType(e.event, 'settings.changed');
    if (setting) ruleOn = setting.twoPersonRule;
    if (e.event.type === 'export.started' && ruleOn && !e.event.approvedBy) {
      flags.push({
        kind: 'export-not-approved',
        severity: 'error',
        seq: e.seq,
        ...(e.bundle ? { bundle: e.bundle } : {}),
        message: `An export started at line ${e.seq} while the two-person rule was on, without an approval.`,
      });
    }
  }

  if (others.length > 0) {
    const all = [...events, ...others];
    const importedHere = new Set(all.filter((e) => e.event.type === 'import.completed' && e.bundle).map((e) => e.bundle!));
    for (const e of all) {
      if (e.event.type === 'export.completed' && e.bundle && !importedHere.has(e.bundle)) {
        flags.push({
          kind: 'not-imported',
          severity: 'warning',
          bundle: e.bundle,
          message: `Bundle ${short(e.bundle)} (${String(e.event.name ?? '')}) was exported but neither ledger records its import.`,
        });
      }
    }
  }
  return flags;
}

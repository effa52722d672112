import type { BundleSummary } from '../../shared/rpc.js';
import { reconciliationFlags } from './flags.js';
import type { ViewedEvent } from './ledger-view.js';

const EXPORT_SIDE = new Set(['export.requested', 'export.approved', 'export.started', 'export.completed', 'media.written', 'media.verified']);
const IMPORT_SIDE = new Set(['import.verified', 'import.rejected', 'import.started', 'import.completed', 'media.staged', 'media.rejected']);

/** Every bundle the ledger knows, newest activity first. */
export function bundleSummaries(events: readonly ViewedEvent[]): BundleSummary[] {
  const flagsOf = new Map<string, number>();
  for (const f of reconciliationFlags(events)) if (f.bundle) flagsOf.set(f.bundle, (flagsOf.get(f.bundle) ?? 0) + 1);
  const byBundle = new Map<string, ViewedEvent[]>();
  for (const e of events) {
    if (!e.bundle || !/^sha256:[0-9a-f]{64}$/.test(e.bundle)) continue;
    if (!byBundle.has(e.bundle)) byBundle.set(e.bundle, []);
    byBundle.get(e.bundle)!.push(e);
  }
  const summaries = [...byBundle].map(([bundle, list]): BundleSummary => {
    const exported = list.some((e) => e.event.type === 'export.completed' || (EXPORT_SIDE.has(String(e.event.type)) && e.event.type !== 'media.verified'));
    const imported = list.some((e) => IMPORT_SIDE.has(String(e.event.type)));
    const name = list.map((e) => e.event.name).find((n): n is string => typeof n === 'string');
    const last = list[list.length - 1]!;
    return {
      bundle,
      ...(name ? { name } : {}),
      side: exported && imported ? 'both' : exported ? 'export' : 'import',
      firstTime: String(list[0]!.event.time),
      lastTime: String(last.event.time),
      lastType: String(last.event.type),
      media: [...new Set(list.flatMap((e) => e.media))],
      flags: flagsOf.get(bundle) ?? 0,
    };
  });
  return summaries.sort((a, b) => b.lastTime.localeCompare(a.lastTime));
}

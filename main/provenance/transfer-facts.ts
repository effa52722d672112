import type { BundleIndex } from '../../shared/bundle.js';
import { carriedLines, queryEvents } from '../custody/ledger-view.js';
import type { Engine } from '../engine.js';
import { parseCheckpoint } from '../ledger/checkpoint.js';
import type { PersonFact, TransferFacts } from './statement.js';

/** Lines of one bundle an import reads to state its transfer: a few per bundle. */
const BUNDLE_LINES = 500;

function personOf(value: unknown): PersonFact {
  const p = (value ?? {}) as { name?: unknown; role?: unknown };
  return { name: String(p.name ?? '?'), ...(typeof p.role === 'string' ? { role: p.role } : {}) };
}

function exporterCheckpoint(text: string): TransferFacts['exporter']['checkpoint'] {
  try {
    return parseCheckpoint(text);
  } catch {
    return null;
  }
}

/**
 * What this site knows of the transfer of `bundle` at the moment it pushes: from the signed bundle
 * (its name, signer, creation time and carried checkpoint), the import's own verification line
 * (whether that checkpoint's signature held), the exporter's approvals carried in the bundle, the
 * media this ledger recorded for it (arrival handoffs, staged discs), and this ledger's head now.
 */
export function transferFacts(engine: Engine, bundle: { digest: string; index: BundleIndex }): TransferFacts {
  const lines = queryEvents(engine.ledger, { bundle: bundle.digest }, { order: 'newest', limit: BUNDLE_LINES });
  const verified = lines.find((l) => l.event.type === 'import.verified')?.event;
  const exporter = (verified?.exporter ?? {}) as { checkpointValid?: unknown };
  const approvals = carriedLines(verified)
    .filter((c) => c.event.type === 'export.approved')
    .map((c) => ({
      by: personOf(c.event.operator),
      at: String(c.event.time ?? ''),
      ...(typeof c.event.signer === 'string' ? { signer: c.event.signer } : {}),
    }));
  const media = new Set<string>();
  for (const { event } of lines) {
    if (event.type === 'custody.handoff' && Array.isArray(event.media)) for (const id of event.media) media.add(String(id));
    const medium = (event.medium ?? undefined) as { id?: unknown } | undefined;
    if (event.type === 'media.staged' && typeof medium?.id === 'string') media.add(medium.id);
  }
  const head = engine.ledger.head();
  return {
    bundle: { digest: bundle.digest, name: bundle.index.name },
    exporter: {
      signer: bundle.index.signer,
      checkpoint: exporterCheckpoint(bundle.index.ledger.checkpoint),
      checkpointValid: exporter.checkpointValid === true,
    },
    importer: { signer: engine.siteKey.fingerprint, ledgerId: engine.ledger.ledgerId, checkpoint: { count: head.count, head: head.head } },
    approvals,
    media: [...media].sort(),
    exportedAt: bundle.index.createdAt,
    importedAt: new Date().toISOString(),
    ferryVersion: engine.ferryVersion,
  };
}

import type { LedgerRow } from '../../shared/rpc.js';
import { attentionItems } from '../custody/attention.js';
import { bundleSummaries } from '../custody/bundles.js';
import { dispositionDueDays } from '../custody/disposition-due.js';
import { reconciliationFlags } from '../custody/flags.js';
import { kitEvents } from '../custody/kit-events.js';
import { queryEvents, type ViewedEvent } from '../custody/ledger-view.js';
import { recordReview } from '../custody/records.js';
import { transferReport } from '../custody/report.js';
import type { Methods } from '../rpc/context.js';
import { exportKit, makeCheckpoint, OPENSSL_VERIFY } from './kit.js';
import path from 'node:path';
import type { ledgerMethods } from '../../shared/contract/ledger.js';

function ledgerRowOf(e: ViewedEvent, nameOf: (bundle: string) => string | undefined): LedgerRow {
  const bundleName = e.bundle ? nameOf(e.bundle) : undefined;
  const operator = e.event.operator as { name?: string; role?: string } | undefined;
  return {
    seq: e.seq,
    type: String(e.event.type),
    time: String(e.event.time),
    operator: operator?.name ?? '',
    ...(operator?.role ? { role: operator.role } : {}),
    ...(e.bundle ? { bundle: e.bundle } : {}),
    ...(bundleName ? { bundleName } : {}),
    ...(typeof e.event.job === 'string' ? { job: e.event.job } : {}),
    summary: e.summary,
    ...(e.media.length > 0 ? { media: e.media } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
  };
}

export const ledgerHandlers: Methods<typeof ledgerMethods> = {
  async 'ledger.bundles'(params, ctx) {
    return bundleSummaries(ctx.engine().ledger, params);
  },
  async 'ledger.attention'(params, ctx) {
    const engine = ctx.engine();
    return attentionItems(engine.ledger, { limit: params.limit, dueAfterDays: params.dueAfterDays ?? (await dispositionDueDays(engine)) });
  },
  async 'ledger.dismissAttention'(params, ctx) {
    const { seq } = ctx.engine().ledger.append('attention.dismissed', { item: params.kind, bundle: params.bundle, media: params.media, title: params.title });
    return { seq };
  },
  async 'ledger.report'(params, ctx) {
    return transferReport(ctx.engine(), params.bundle, params.withKit ? await kitEvents(params.withKit) : []);
  },
  async 'ledger.flags'(params, ctx) {
    const dir = params.withKit;
    const others = dir ? await kitEvents(dir) : [];
    const found = reconciliationFlags(ctx.engine().ledger, params, others);
    return { ...found, ...(dir ? { compared: { dir, lines: others.length } } : {}) };
  },
  async 'ledger.review'(params, ctx) {
    return recordReview(ctx.engine(), params);
  },
  async 'ledger.exportKit'(params, ctx) {
    const kit = await exportKit(ctx.engine(), path.join(params.destination, params.name));
    ctx.grants.grant(kit.dir);
    return {
      ledgerId: kit.ledgerId,
      dir: kit.dir,
      files: [...kit.files],
      count: kit.count,
      head: kit.head,
      fingerprint: kit.fingerprint,
      time: kit.time,
      recordedAt: kit.recordedAt,
      chain: kit.chain,
    };
  },
  async 'ledger.list'(params, ctx) {
    const engine = ctx.engine();
    const { limit, before, ...filter } = params;
    const entries = queryEvents(engine.ledger, filter, { order: 'newest', limit: limit ?? 500, from: before });
    const nameOf = (bundle: string) => engine.ledger.bundleState.nameOf(bundle);
    return { ledgerId: engine.ledger.ledgerId, entries: entries.map((e) => ledgerRowOf(e, nameOf)) };
  },
  async 'ledger.verify'(_params, ctx) {
    const { ledger } = ctx.engine();
    return { ledgerId: ledger.ledgerId, file: ledger.file, ...(await ledger.verify()) };
  },
  async 'ledger.reindex'(_params, ctx) {
    const { ledger } = ctx.engine();
    return { ledgerId: ledger.ledgerId, file: ledger.file, lines: ledger.reindex() };
  },
  async 'ledger.checkpoint'(params, ctx) {
    return { ...(await makeCheckpoint(ctx.engine(), params.out)), opensslVerify: OPENSSL_VERIFY };
  },
};

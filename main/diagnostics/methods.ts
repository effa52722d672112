import { createHash } from 'node:crypto';
import type { diagnosticsMethods } from '../../shared/contract/app.js';
import { JobStore } from '../jobs/job-store.js';
import type { Methods } from '../rpc/context.js';
import { diagnosticsArchive } from './diagnostics.js';

export const diagnosticsHandlers: Methods<typeof diagnosticsMethods> = {
  async 'app.diagnostics'(params, ctx) {
    const engine = ctx.engine();
    // Jobs this process runs, and those other faces left in FERRY_HOME/jobs (the app's, a stopped CLI's).
    const running = ctx.runner.list();
    const stored = (await JobStore.forHome(engine.home).loadAll()).filter((job) => !running.some((r) => r.id === job.id));
    const { archive, entries } = await diagnosticsArchive(engine, [...running, ...stored], {
      ...(params.withLedger ? { withLedger: true } : {}),
      transport: ctx.transport,
    });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return {
      name: `ferry-diagnostics-${stamp}.tar.gz`,
      base64: archive.toString('base64'),
      bytes: archive.length,
      sha256: createHash('sha256').update(archive).digest('hex'),
      entries,
    };
  },
};

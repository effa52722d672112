import type { Methods } from '../rpc/context.js';
import { FerryError } from '../util/errors.js';
import type { jobsMethods } from '../../shared/contract/jobs.js';

export const jobsHandlers: Methods<typeof jobsMethods> = {
  async 'jobs.list'(_params, ctx) {
    return { jobs: ctx.runner.list() };
  },
  async 'jobs.cancel'(params, ctx) {
    return ctx.runner.cancel(params.id);
  },
  async 'jobs.pause'(params, ctx) {
    const job = ctx.runner.get(params.id);
    if (job.kind !== 'export' && job.kind !== 'import') {
      throw new FerryError('USAGE', 'Only an export or an import can pause and later continue; cancel this job instead.', {
        job: params.id,
      });
    }
    return ctx.runner.pause(params.id);
  },
  async 'jobs.resume'(params, ctx) {
    return ctx.runner.resume(params.id);
  },
  async 'jobs.dismiss'(params, ctx) {
    await ctx.runner.dismiss(params.id);
    return {};
  },
};

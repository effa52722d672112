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
    const pushes = job.kind === 'import' && 'toRegistry' in job.request && Boolean(job.request.toRegistry);
    if (job.kind !== 'export' && !pushes) {
      throw new FerryError('USAGE', 'Only an export or a registry push can pause and later continue where it stopped; cancel this job instead.', {
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

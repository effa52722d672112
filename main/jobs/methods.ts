import type { Job } from '../../shared/rpc.js';
import type { RegistryLogin } from '../../shared/contract/common.js';
import { credentialsFor, type HandlerContext, type Methods } from '../rpc/context.js';
import { RegistryClient } from '../registry/client.js';
import { parseRegistryTarget } from '../registry/reference.js';
import type { JobSecrets } from './messages.js';
import { FerryError } from '../util/errors.js';
import { bundleFolderOf, removeUnfinishedExport } from '../transfer/bundle-folder.js';
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
    return ctx.runner.resume(params.id, await pushSecretsForResume(ctx, ctx.runner.get(params.id), params.login));
  },
  async 'jobs.dismiss'(params, ctx) {
    const job = ctx.runner.get(params.id);
    // Removed before the job goes: a folder that cannot be cleared (a drive unplugged) leaves the card to try again.
    const removed = params.removeKeptVolumes && job.state !== 'running' ? await removeKeptVolumes(ctx, job) : undefined;
    await ctx.runner.dismiss(params.id);
    // A job that stopped was on Home's "Needs attention": who took it off, and when, is evidence too.
    if (job.state !== 'completed' && !params.endOfRun) {
      ctx.engine().ledger.append('attention.dismissed', { item: 'job', job: job.id, title: `${job.title} (${job.state})`, ...(removed ? { removed } : {}) });
    }
    return removed ? { removed } : {};
  },
};

/** An export's kept volumes, when no other unfinished export writes to the same bundle folder. */
async function removeKeptVolumes(ctx: HandlerContext, job: Job): Promise<{ dir: string; volumes: number } | undefined> {
  if (job.kind !== 'export' || job.state === 'completed') return undefined;
  const folder = bundleFolderOf(job.request);
  const shared = ctx.runner
    .list()
    .some((other) => other.id !== job.id && other.kind === 'export' && other.state !== 'completed' && bundleFolderOf(other.request) === folder);
  return shared ? undefined : removeUnfinishedExport(job.request);
}

/**
 * What a push needs to go on after the host or the app restarted (its password lived only in the
 * memory of the process that ended): the login just typed, else what this site remembers or
 * docker's config; when the registry then refuses, AUTH with details.login = 'needed', which the
 * wizard answers with a dialog. Undefined keeps what the runner still holds (no restart).
 */
async function pushSecretsForResume(ctx: HandlerContext, job: Job, login: RegistryLogin | undefined): Promise<JobSecrets | undefined> {
  if (job.kind !== 'import' || !job.request.toRegistry) return undefined;
  const { registry } = parseRegistryTarget(job.request.toRegistry.target);
  if (login) return { credentials: [[registry, login]] };
  if (ctx.runner.holdsSecrets(job.id)) return undefined;
  const { source, secrets } = await credentialsFor(ctx, [registry]);
  const client = new RegistryClient(registry, source, job.request.toRegistry.access ?? {});
  try {
    await client.ping();
  } catch (err) {
    if (err instanceof FerryError && err.code === 'AUTH') {
      throw new FerryError(
        'AUTH',
        `${registry} wants a username and password to go on with this push. Enter them to resume: they are kept in memory for this job only.`,
        {
          registry,
          login: 'needed',
        },
      );
    }
    throw err;
  } finally {
    await client.close();
  }
  return secrets;
}

import { inspectBundle } from '../bundle/inspect.js';
import { recordOverride } from './import-override.js';
import type { JobSecrets } from '../jobs/messages.js';
import { parseRegistryTarget } from '../registry/reference.js';
import { accessOf, credentialsFor, type Methods } from '../rpc/context.js';
import type { importMethods } from '../../shared/contract/import.js';

export const importHandlers: Methods<typeof importMethods> = {
  async 'import.inspect'(params) {
    return inspectBundle(params.dir);
  },
  async 'import.verify'(params, ctx) {
    return ctx.runner.start('verify', params, `Verification of ${params.dir}`);
  },
  async 'import.start'(params, ctx) {
    const { request, login } = params;
    const target = request.toRegistry ? parseRegistryTarget(request.toRegistry.target) : null;
    accessOf(request.toRegistry?.access);
    const secrets = target
      ? login
        ? { credentials: [[target.registry, login]] as JobSecrets['credentials'] }
        : (await credentialsFor(ctx, [target.registry])).secrets
      : undefined;
    const into = [request.toOllamaStore, request.toHfCache, request.toDir, request.saveInstaller, request.toRegistry?.target].filter(Boolean).join(' and ');
    return ctx.runner.start('import', request, `Import of ${request.dir} into ${into}`, secrets);
  },
  async 'import.override'(params, ctx) {
    return recordOverride(ctx.engine(), params);
  },
  async 'import.stage'(params, ctx) {
    return ctx.runner.start('stage', params, `Staging of ${params.from} into ${params.to}`);
  },
};

import type { JobSecrets } from '../jobs/messages.js';
import { parseRegistryTarget } from '../registry/reference.js';
import { accessOf, credentialsFor, type Methods } from '../rpc/context.js';
import type { importMethods } from '../../shared/contract/import.js';

export const importHandlers: Methods<typeof importMethods> = {
  async 'import.verify'(params, ctx) {
    const dir = ctx.grants.check(params.dir, 'dir');
    const trust = params.trust?.map((file, i) => ctx.grants.check(file, `trust.${i}`));
    return ctx.runner.start('verify', { dir, ...(trust ? { trust } : {}), ...(params.deep ? { deep: true } : {}) }, `Verification of ${dir}`);
  },
  async 'import.start'(params, ctx) {
    const { request: r, login } = params;
    const dir = ctx.grants.check(r.dir, 'dir');
    const toOllamaStore = r.toOllamaStore ? ctx.grants.check(r.toOllamaStore, 'toOllamaStore') : undefined;
    const toHfCache = r.toHfCache ? ctx.grants.check(r.toHfCache, 'toHfCache') : undefined;
    const toDir = r.toDir ? ctx.grants.check(r.toDir, 'toDir') : undefined;
    const saveInstaller = r.saveInstaller ? ctx.grants.check(r.saveInstaller, 'saveInstaller') : undefined;
    const target = r.toRegistry ? parseRegistryTarget(r.toRegistry.target) : null;
    const toRegistry = r.toRegistry ? { ...r.toRegistry, ...(r.toRegistry.access ? { access: accessOf(r.toRegistry.access, ctx) } : {}) } : undefined;
    const request = {
      dir,
      ...(toOllamaStore ? { toOllamaStore } : {}),
      ...(toHfCache ? { toHfCache } : {}),
      ...(toDir ? { toDir } : {}),
      ...(saveInstaller ? { saveInstaller } : {}),
      ...(toRegistry ? { toRegistry } : {}),
    };
    const secrets = target
      ? login
        ? { credentials: [[target.registry, login]] as JobSecrets['credentials'] }
        : (await credentialsFor(ctx, [target.registry])).secrets
      : undefined;
    const into = [toOllamaStore, toHfCache, toDir, saveInstaller, r.toRegistry?.target].filter(Boolean).join(' and ');
    return ctx.runner.start('import', request, `Import of ${dir} into ${into}`, secrets);
  },
  async 'import.stage'(params, ctx) {
    const from = ctx.grants.check(params.from, 'from');
    const to = ctx.grants.check(params.to, 'to');
    const trust = params.trust?.map((file, i) => ctx.grants.check(file, `trust.${i}`));
    return ctx.runner.start('stage', { from, to, ...(trust ? { trust } : {}) }, `Staging of ${from} into ${to}`);
  },
};

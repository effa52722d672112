/** An export selection from a face: its paths checked, its rules applied, planned without writing. */
import { BundleName } from '../../shared/bundle.js';
import type { ParsedParams, RegistryAccess } from '../../shared/rpc.js';
import type { DigestMode } from '../bundle/plan.js';
import { parsePlatform } from '../registry/manifest.js';
import { parseReference } from '../registry/reference.js';
import { accessOf, credentialsFor, type HandlerContext } from '../rpc/context.js';
import { FerryError } from '../util/errors.js';
import { exportClients, planExport } from './export.js';

export function bundleNameOf(name: string): string {
  const parsed = BundleName.safeParse(name);
  if (!parsed.success) throw new FerryError('USAGE', `Bundle name "${name}": ${parsed.error.issues[0]!.message}.`, { field: 'name' });
  return name;
}

/** An export request from the wizard with every path checked against what the user was handed. */
export function checkedExportRequest(params: ParsedParams<'export.start'>, ctx: HandlerContext): ParsedParams<'export.start'> {
  const selection = checkedSelection(params, ctx);
  const registry = accessOf(params.registry, ctx);
  const request = {
    ...params,
    ...(params.registry ? { registry } : {}),
    ...(selection.store ? { store: selection.store } : {}),
    ...(selection.hfCache ? { hfCache: selection.hfCache } : {}),
    files: selection.files,
    destination: selection.destination,
    name: bundleNameOf(params.name),
  };
  for (const platform of request.platforms) parsePlatform(platform);
  return request;
}

/** The paths of an export selection, each one the user was handed (dialog, file browser, default). */
export function checkedSelection(
  params: { store?: string | undefined; models: string[]; hfCache?: string | undefined; hf: string[]; files: string[]; destination: string },
  ctx: HandlerContext,
) {
  if (params.hf.length > 0 && !params.hfCache) throw new FerryError('USAGE', 'Hugging Face repos need the cache they are in.', { field: 'hfCache' });
  return {
    store: params.models.length > 0 ? ctx.grants.check(requiredStore(params.store), 'store') : null,
    hfCache: params.hf.length > 0 ? ctx.grants.check(params.hfCache!, 'hfCache') : null,
    files: params.files.map((f, i) => ctx.grants.check(f, `files.${i}`)),
    destination: ctx.grants.check(params.destination, 'destination'),
  };
}

/**
 * Plans an export selection, no bytes written: approval.request needs every digest (`hash`);
 * export.estimate only the byte count (`sizes`: plain files are stat'ed, not read).
 */
export async function planSelection(
  ctx: HandlerContext,
  params: { models: string[]; images: string[]; charts: string[]; platforms: string[]; hf: string[]; registry?: RegistryAccess | undefined },
  selection: { store: string | null; hfCache: string | null; files: string[] },
  digests: DigestMode,
) {
  const { source } = await credentialsFor(ctx, referencesOf(params));
  const clients = exportClients({ registry: accessOf(params.registry, ctx) }, source);
  const request = {
    ...(selection.store ? { ollama: { store: selection.store, models: params.models } } : {}),
    images: params.images,
    charts: params.charts,
    platforms: params.platforms,
    ...(selection.hfCache ? { hf: { cache: selection.hfCache, repos: params.hf } } : {}),
    files: selection.files,
  };
  return planExport(request, clients, { digests }).finally(() => clients.close());
}

export function referencesOf(params: { images: string[]; charts: string[] }): string[] {
  return [...params.images, ...params.charts].map((r) => parseReference(r).registry);
}

export function requiredStore(store: string | undefined): string {
  if (!store) throw new FerryError('USAGE', 'Models need the Ollama store they are in.', { field: 'store' });
  return store;
}

/** An export selection from a face, planned without writing. Its paths and rules were checked by the contract and the dispatcher. */
import type { ExportSelection } from '../../shared/rpc.js';
import type { DigestMode } from '../bundle/plan.js';
import { parseReference } from '../registry/reference.js';
import { accessOf, credentialsFor, type HandlerContext } from '../rpc/context.js';
import { exportClients, planExport, type ExportSources } from './export.js';

/**
 * Plans an export selection, no bytes written: approval.request needs every digest (`hash`);
 * export.estimate only the byte count (`sizes`: plain files are stat'ed, not read).
 */
export async function planSelection(ctx: HandlerContext, selection: ExportSources & Pick<ExportSelection, 'registry'>, digests: DigestMode) {
  const { source } = await credentialsFor(ctx, referencesOf(selection));
  const clients = exportClients({ registry: accessOf(selection.registry) }, source);
  return planExport(selection, clients, { digests }).finally(() => clients.close());
}

export function referencesOf(params: { images: string[]; charts: string[] }): string[] {
  return [...params.images, ...params.charts].map((r) => parseReference(r).registry);
}

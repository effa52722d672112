import { ruleInLedger } from '../custody/rule.js';
import { credentialsFor, type Methods } from '../rpc/context.js';
import { FerryError } from '../util/errors.js';
import { planSelection, referencesOf } from './export-selection.js';
import { bundleFolderOf } from './bundle-folder.js';
import { freeSpace, spaceNeeded } from './export.js';
import { accessOf } from '../rpc/context.js';
import path from 'node:path';
import type { exportMethods } from '../../shared/contract/export.js';

function exportTitleOf(r: { models: string[]; images: string[]; charts: string[]; hf: string[]; files: string[] }, out: string): string {
  const items = [...r.models, ...r.images, ...r.charts, ...r.hf, ...r.files.map((f) => path.basename(f))];
  return `Export of ${items.length === 1 ? items[0] : `${items.length} items`} to ${out}`;
}

export const exportHandlers: Methods<typeof exportMethods> = {
  async 'export.estimate'(params, ctx) {
    const plan = await planSelection(ctx, params, 'sizes');
    const available = await freeSpace(params.destination);
    return {
      tarSize: plan.tarSize,
      volumeCount: Math.max(1, Math.ceil(plan.tarSize / params.volumeSize)),
      available,
      enoughSpace: available >= spaceNeeded(plan),
    };
  },
  async 'export.start'(params, ctx) {
    const request = params;
    accessOf(request.registry);
    if (!request.approval && ruleInLedger(ctx.engine().ledger)) {
      throw new FerryError('APPROVAL', 'The two-person rule is on: request approval for this export first, and have someone with another name approve it.', {
        field: 'approval',
      });
    }
    const { secrets } = await credentialsFor(ctx, referencesOf(request));
    // The bundle folder this export creates: the wizard reads it back next (media.verify).
    const folder = ctx.grants.grant(bundleFolderOf(request));
    return ctx.runner.start('export', request, exportTitleOf(request, folder), secrets);
  },
};

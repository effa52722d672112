import type { Methods } from '../rpc/context.js';
import { recordDisposition, recordHandoff } from './records.js';
import type { custodyMethods } from '../../shared/contract/custody.js';

export const custodyHandlers: Methods<typeof custodyMethods> = {
  async 'media.verify'(params, ctx) {
    return ctx.runner.start('media-verify', params, `Read-back of ${params.media.label} (${params.media.id}) from ${params.dir}`);
  },
  async 'custody.handoff'(params, ctx) {
    return recordHandoff(ctx.engine(), params);
  },
  async 'media.dispose'(params, ctx) {
    return recordDisposition(ctx.engine(), params);
  },
};

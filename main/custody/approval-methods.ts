import type { Methods } from '../rpc/context.js';
import { exportRequestOf } from '../transfer/export-request.js';
import { checkedExportRequest, planSelection } from '../transfer/export-selection.js';
import { decideApproval, listApprovals, requestApproval, twoPersonRuleOn } from './approval.js';
import type { approvalMethods } from '../../shared/contract/approval.js';

export const approvalHandlers: Methods<typeof approvalMethods> = {
  async 'approval.request'(params, ctx) {
    const request = checkedExportRequest(params, ctx);
    const plan = await planSelection(ctx, request, { store: request.store ?? null, hfCache: request.hfCache ?? null, files: request.files }, 'hash');
    return requestApproval(ctx.engine(), exportRequestOf(request), plan);
  },
  async 'approval.list'(_params, ctx) {
    return { twoPersonRule: await twoPersonRuleOn(ctx.engine()), requests: listApprovals(ctx.engine()) };
  },
  async 'approval.decide'(params, ctx) {
    return decideApproval(ctx.engine(), params.id, params.decision, params.approver, params.reason);
  },
};

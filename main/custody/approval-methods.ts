import type { Methods } from '../rpc/context.js';
import { planSelection } from '../transfer/export-selection.js';
import { decideApproval, listApprovals, requestApproval, twoPersonRuleOn } from './approval.js';
import type { approvalMethods } from '../../shared/contract/approval.js';

export const approvalHandlers: Methods<typeof approvalMethods> = {
  async 'approval.request'(params, ctx) {
    const plan = await planSelection(ctx, params, 'hash');
    return requestApproval(ctx.engine(), params, plan);
  },
  async 'approval.list'(_params, ctx) {
    return { twoPersonRule: await twoPersonRuleOn(ctx.engine()), requests: listApprovals(ctx.engine()) };
  },
  async 'approval.decide'(params, ctx) {
    return decideApproval(ctx.engine(), params.id, params.decision, params.approver, params.reason);
  },
};

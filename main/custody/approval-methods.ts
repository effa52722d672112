import type { Methods } from '../rpc/context.js';
import { planSelection } from '../transfer/export-selection.js';
import { decideApproval, listApprovals, requestApproval } from './approval.js';
import { changeTwoPersonRule, decideRuleChange, ruleInLedger, ruleRequests } from './rule.js';
import type { approvalMethods } from '../../shared/contract/approval.js';

export const approvalHandlers: Methods<typeof approvalMethods> = {
  async 'approval.request'(params, ctx) {
    const plan = await planSelection(ctx, params, 'hash');
    return requestApproval(ctx.engine(), params, plan);
  },
  async 'approval.list'(_params, ctx) {
    const engine = ctx.engine();
    return { twoPersonRule: ruleInLedger(engine.ledger), requests: listApprovals(engine), ruleRequests: ruleRequests(engine.ledger).reverse() };
  },
  async 'approval.decide'(params, ctx) {
    return decideApproval(ctx.engine(), params.id, params.decision, params.as, params.reason);
  },
  async 'approval.rule'(params, ctx) {
    return changeTwoPersonRule(ctx.engine(), params.enabled, params.as);
  },
  async 'approval.decideRule'(params, ctx) {
    return decideRuleChange(ctx.engine(), params.id, params.decision, params.as, params.reason);
  },
};

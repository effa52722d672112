/** The two-person rule: requests and decisions. */
import { z } from 'zod';
import { Empty, Person } from './common.js';
import { SignAs } from './people.js';
import { exportRequestPaths, ExportRequest } from './job-kinds.js';
import type { MethodTable } from './method-table.js';

export const ApprovalState = z.enum(['pending', 'approved', 'rejected', 'withdrawn', 'exported']);

/** An export waiting for (or given) a second person's approval under the two-person rule. */
export const ApprovalRequestInfo = z.object({
  /** The export's job id in the ledger. */
  id: z.string(),
  seq: z.number(),
  requestedAt: z.string(),
  requester: Person,
  status: ApprovalState,
  decidedBy: Person.optional(),
  /** The fingerprint of the personal key that signed the decision. */
  signer: z.string().optional(),
  decidedAt: z.string().optional(),
  reason: z.string().optional(),
  name: z.string(),
  out: z.string(),
  volumeSize: z.number(),
  artifacts: z.array(z.object({ kind: z.string(), ref: z.string(), digest: z.string(), size: z.number() })),
  totalSize: z.number(),
  /** The bundle it became, once exported. */
  bundle: z.string().optional(),
});

export type ApprovalRequestInfo = z.infer<typeof ApprovalRequestInfo>;

/** A request to turn the two-person rule on or off, waiting for (or given) a second person's decision. */
export const RuleRequestInfo = z.object({
  id: z.string(),
  seq: z.number(),
  requestedAt: z.string(),
  requester: Person,
  twoPersonRule: z.boolean(),
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedBy: Person.optional(),
  decidedAt: z.string().optional(),
  reason: z.string().optional(),
});
export type RuleRequestInfo = z.infer<typeof RuleRequestInfo>;

export const approvalMethods = {
  /** Records export.requested for approval: plans the export (every digest) without writing anything. */
  'approval.request': { params: ExportRequest, paths: exportRequestPaths, result: ApprovalRequestInfo },
  /** Every request, newest first, with whether the two-person rule is on now. */
  'approval.list': {
    params: Empty,
    result: z.object({ twoPersonRule: z.boolean(), requests: z.array(ApprovalRequestInfo), ruleRequests: z.array(RuleRequestInfo) }),
  },
  /**
   * A second enrolled person approves or rejects, signing with their passphrase (`as`); they must not
   * be the requester, and a rejection needs a reason. The requester (the operator) may withdraw instead.
   */
  'approval.decide': {
    params: z.object({
      id: z.string().uuid(),
      decision: z.enum(['approve', 'reject', 'withdraw']),
      as: SignAs.optional(),
      reason: z.string().trim().max(2000).optional(),
    }),
    result: ApprovalRequestInfo,
  },
  /**
   * Turns the two-person rule on (signed by `as`; two people must be enrolled) or asks for it to be
   * turned off: while it is on, that is a request a second enrolled person approves (the same call by
   * them, or approval.decideRule). `request` is the one waiting, if any.
   */
  'approval.rule': {
    params: z.object({ enabled: z.boolean(), as: SignAs }),
    result: z.object({ enabled: z.boolean(), request: RuleRequestInfo.optional() }),
  },
  /** A second enrolled person approves or rejects a request to change the two-person rule. */
  'approval.decideRule': {
    params: z.object({ id: z.string().uuid(), decision: z.enum(['approve', 'reject']), as: SignAs, reason: z.string().trim().max(2000).optional() }),
    result: RuleRequestInfo,
  },
} as const satisfies MethodTable;

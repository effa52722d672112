/** The two-person rule: requests and decisions. */
import { z } from 'zod';
import { Empty, Person } from './common.js';
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
  state: ApprovalState,
  decidedBy: Person.optional(),
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

export const approvalMethods = {
  /** Records export.requested for approval: plans the export (every digest) without writing anything. */
  'approval.request': { params: ExportRequest, paths: exportRequestPaths, result: ApprovalRequestInfo },
  /** Every request, newest first, with whether the two-person rule is on now. */
  'approval.list': { params: Empty, result: z.object({ twoPersonRule: z.boolean(), requests: z.array(ApprovalRequestInfo) }) },
  /**
   * A second person approves or rejects, by name; the approver must differ from the requester, and a
   * rejection needs a reason. The requester (same name) may withdraw a request instead.
   */
  'approval.decide': {
    params: z.object({
      id: z.string().uuid(),
      decision: z.enum(['approve', 'reject', 'withdraw']),
      approver: Person,
      reason: z.string().trim().max(2000).optional(),
    }),
    result: ApprovalRequestInfo,
  },
} as const satisfies MethodTable;

import type { ApprovalRequestInfo, Job } from '../../../../shared/rpc.js';

/** What Home hands to the wizards; the app layer (shell/) wires them, so Home imports no other screen. */
export interface HomeLinks {
  /** Shows a job on its wizard's page. */
  openJob: (job: Job) => void;
  /** An approval was decided here: the export wizard waiting for it hears at once. */
  onApprovalDecided: (info: ApprovalRequestInfo) => void;
}

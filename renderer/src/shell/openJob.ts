import type { ApprovalRequestInfo, Job } from '../../../shared/rpc.js';
import { navigate } from '../core/router';
import { useExport } from '../features/export/exportStore';
import { useImport } from '../features/import/importStore';

/** Opens the wizard page that belongs to a job, showing it. */
export function openJob(job: Job): void {
  if (job.kind === 'export') {
    useExport.getState().attachJob(job);
    navigate('export');
  } else if (job.kind === 'media-verify') {
    useExport.getState().attachMediaJob(job);
    navigate('export');
  } else {
    useImport.getState().attachJob(job);
    navigate('import');
  }
}

/** An approval decided on Home: the export wizard waiting for it shows the decision. */
export function approvalDecided(info: ApprovalRequestInfo): void {
  useExport.getState().setApproval(info);
}

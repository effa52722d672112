import type { Job } from '../../../../shared/rpc.js';
import { navigate } from '../../shell/router';
import { useExport } from '../export/exportStore';
import { useImport } from '../import/importStore';

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

import type { ExportJobResult, ImportJobResult, Job, StageJobResult, VerifyJobResult } from '../../../../shared/rpc.js';

/** Job.result is a union over the kinds; these pick the one a job of that kind carries. */
export function exportResultOf(job: Job | undefined): ExportJobResult | undefined {
  return job?.kind === 'export' && job.result ? (job.result as ExportJobResult) : undefined;
}

export function verifyResultOf(job: Job | undefined): VerifyJobResult | undefined {
  return job?.kind === 'verify' && job.result ? (job.result as VerifyJobResult) : undefined;
}

export function importResultOf(job: Job | undefined): ImportJobResult | undefined {
  return job?.kind === 'import' && job.result ? (job.result as ImportJobResult) : undefined;
}

export function stageResultOf(job: Job | undefined): StageJobResult | undefined {
  return job?.kind === 'stage' && job.result ? (job.result as StageJobResult) : undefined;
}

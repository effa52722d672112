import type { ExportJobResult, ImportJobResult, Job, StageJobResult, VerifyJobResult } from '../../../../shared/rpc.js';

/** The result of a completed job of that kind: Job is a union by kind, so the kind picks the result's type. */
export function exportResultOf(job: Job | undefined): ExportJobResult | undefined {
  return job?.kind === 'export' ? job.result : undefined;
}

export function verifyResultOf(job: Job | undefined): VerifyJobResult | undefined {
  return job?.kind === 'verify' ? job.result : undefined;
}

export function importResultOf(job: Job | undefined): ImportJobResult | undefined {
  return job?.kind === 'import' ? job.result : undefined;
}

export function stageResultOf(job: Job | undefined): StageJobResult | undefined {
  return job?.kind === 'stage' ? job.result : undefined;
}

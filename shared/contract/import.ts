/** Import: verify, stage disc by disc, install or push. */
import { z } from 'zod';
import { RegistryLogin } from './common.js';
import { ImportRequest, importRequestPaths, StageRequest, VerifyRequest } from './job-kinds.js';
import { ImportJob, StageJob, VerifyJob } from './jobs.js';
import type { MethodTable } from './method-table.js';

export const importMethods = {
  'import.verify': { params: VerifyRequest, paths: ['dir', 'trust.*'], job: 'verify', result: VerifyJob },
  /** Copies one disc's volumes into a staging folder, checking each against the signed SHA256SUMS. */
  'import.stage': { params: StageRequest, paths: ['from', 'to', 'trust.*'], job: 'stage', result: StageJob },
  /** `login` is kept in memory for this job, never in job state; registry.test remembers credentials. */
  'import.start': {
    params: z.object({ request: ImportRequest, login: RegistryLogin.optional() }),
    paths: importRequestPaths.map((p) => `request.${p}`),
    job: 'import',
    result: ImportJob,
  },
} as const satisfies MethodTable;

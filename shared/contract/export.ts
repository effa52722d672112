/** Export: the estimate and the signed bundle. */
import { z } from 'zod';
import { ExportRequest, ExportSelection } from './job-kinds.js';
import { Job } from './jobs.js';
import type { MethodTable } from './method-table.js';

export const exportMethods = {
  'export.estimate': {
    params: ExportSelection,
    result: z.object({ tarSize: z.number(), volumeCount: z.number(), available: z.number(), enoughSpace: z.boolean() }),
  },
  'export.start': { params: ExportRequest, result: Job },
} as const satisfies MethodTable;

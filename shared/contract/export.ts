/** Export: the estimate and the signed bundle. */
import { z } from 'zod';
import { ExportRequest, exportRequestPaths, ExportSelection, selectionPaths } from './job-kinds.js';
import { ExportJob } from './jobs.js';
import type { MethodTable } from './method-table.js';

export const exportMethods = {
  'export.estimate': {
    params: ExportSelection,
    paths: selectionPaths,
    result: z.object({ tarSize: z.number(), volumeCount: z.number(), available: z.number(), enoughSpace: z.boolean() }),
  },
  'export.start': { params: ExportRequest, paths: exportRequestPaths, job: 'export', result: ExportJob },
} as const satisfies MethodTable;

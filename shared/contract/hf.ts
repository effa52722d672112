/** Hugging Face caches: the repos and revisions they hold. */
import { z } from 'zod';
import { Path } from './common.js';
import type { MethodTable } from './method-table.js';

export const HfRepoRow = z.object({
  repoId: z.string(),
  type: z.enum(['model', 'dataset', 'space']),
  /** What to type to carry it: [datasets/|spaces/]ORG/NAME. */
  spec: z.string(),
  refs: z.record(z.string(), z.string()),
  revisions: z.array(z.object({ commit: z.string(), refs: z.array(z.string()), files: z.number(), size: z.number(), problem: z.string().optional() })),
  problem: z.string().optional(),
});

export type HfRepoRow = z.infer<typeof HfRepoRow>;

export const hfMethods = {
  'hf.list': { params: z.object({ cache: Path }), paths: ['cache'], result: z.object({ cache: z.string(), repos: z.array(HfRepoRow) }) },
} as const satisfies MethodTable;

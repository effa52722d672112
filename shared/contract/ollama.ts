/** Ollama stores: the models they hold. */
import { z } from 'zod';
import { Sha256Digest } from '../bundle.js';
import { Path } from './common.js';
import type { MethodTable } from './method-table.js';

export const ModelRow = z.object({
  name: z.string(),
  ref: z.string(),
  id: z.string(),
  digest: Sha256Digest,
  size: z.number(),
  family: z.string().optional(),
  parameters: z.string().optional(),
  quantization: z.string().optional(),
  licensePresent: z.boolean(),
  /** The rest of what the config and the GGUF header say, when they say it. */
  format: z.string().optional(),
  families: z.array(z.string()).optional(),
  modelType: z.string().optional(),
  parameterCount: z.number().optional(),
  architecture: z.string().optional(),
  contextLength: z.number().optional(),
});

export type ModelRow = z.infer<typeof ModelRow>;

/** A model in the store that cannot be carried: a broken one (its problem) or a cloud stub (no weights here). */
export const UnavailableModelRow = z.object({
  name: z.string(),
  ref: z.string(),
  kind: z.enum(['broken', 'cloud']),
  reason: z.string(),
});

export type UnavailableModelRow = z.infer<typeof UnavailableModelRow>;

export const ollamaMethods = {
  'ollama.list': {
    params: z.object({ store: Path }),
    paths: ['store'],
    result: z.object({ store: z.string(), models: z.array(ModelRow), unavailable: z.array(UnavailableModelRow) }),
  },
} as const satisfies MethodTable;

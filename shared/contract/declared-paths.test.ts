import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { z } from 'zod';
import { methods } from '../rpc.js';
import { Path } from './common.js';

/** Every field of a params schema that is a Path, dotted as MethodSpec.paths writes them ('files.*'). */
function pathFields(schema: z.ZodType, at: string[] = []): string[] {
  if (schema === Path) return [at.join('.')];
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      return pathFields(def.innerType as z.ZodType, at);
    case 'array':
      return pathFields(def.element as z.ZodType, [...at, '*']);
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([key, field]) => pathFields(field, [...at, key]));
    default:
      return [];
  }
}

test('every path a method takes is declared, so the dispatcher checks it against the path policy', () => {
  for (const [name, spec] of Object.entries(methods)) {
    const declared = 'paths' in spec ? [...spec.paths].sort() : [];
    assert.deepEqual(declared, pathFields(spec.params).sort(), `${name} declares its paths`);
  }
});

test('a method that starts a job answers with a job', () => {
  const starters = Object.entries(methods).filter(([, spec]) => 'job' in spec);
  assert.deepEqual(starters.map(([name]) => name).sort(), ['export.start', 'import.stage', 'import.start', 'import.verify', 'media.verify']);
});

import fsp from 'node:fs/promises';
import path from 'node:path';
import type { TestRegistry } from '../main/testing/registry-server.js';
import { StepError } from './support.js';

/**
 * Fails `step` unless the registry holds the blob, whole, in its storage folder: a push (or a
 * baseline) that uploaded nothing would otherwise look fast.
 */
export async function assertStored(registry: TestRegistry, digest: string, bytes: number, step: string): Promise<void> {
  const hex = digest.slice('sha256:'.length);
  const data = path.join(registry.storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
  const size = await fsp.stat(data).then(
    (s) => s.size,
    () => null,
  );
  if (size !== bytes)
    throw new StepError(`${step}: the registry does not hold ${digest} (${bytes} bytes) afterwards (${size === null ? 'absent' : `${size} bytes`})`);
}

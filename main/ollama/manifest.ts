import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FerryError } from '../util/errors.js';

export const DIGEST = /^sha256:([0-9a-f]{64})$/;

const ManifestLayer = z.object({
  mediaType: z.string(),
  digest: z.string().regex(DIGEST),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
});
const Manifest = z.object({
  schemaVersion: z.number().optional(),
  mediaType: z.string().optional(),
  config: ManifestLayer,
  layers: z.array(ManifestLayer),
});
export type OllamaManifest = z.infer<typeof Manifest>;

/** The manifest in `bytes`, or why it is not one (a short phrase about "the manifest"). */
export function readManifestBytes(bytes: Uint8Array): { manifest: OllamaManifest } | { problem: string } {
  if (bytes.length === 0) return { problem: 'its manifest is empty' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    return { problem: `its manifest is not valid JSON (${(err as Error).message})` };
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'unknown shape';
    return { problem: `its manifest is not an Ollama manifest with a config and layers (${where})` };
  }
  return { manifest: parsed.data };
}

/** Parses manifest bytes; `what` names the model and file in the INVALID_INPUT message. */
export function parseManifest(bytes: Uint8Array, what: string, details: Record<string, unknown> = {}): OllamaManifest {
  const read = readManifestBytes(bytes);
  if ('problem' in read) throw new FerryError('INVALID_INPUT', `Model ${what}: ${read.problem}.`, details);
  return read.manifest;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

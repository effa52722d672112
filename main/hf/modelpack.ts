import path from 'node:path';
import { z } from 'zod';
import { FerryError } from '../util/errors.js';
import { etagKind } from './etag.js';
import { HF_REPO_TYPES, isCommit, isValidRepoId, refNameProblem, relativePathProblem, type HfRepoType } from './names.js';

/** A Hugging Face repo revision as an OCI artifact in the CNCF ModelPack form (modelpack/model-spec). */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MODEL_ARTIFACT_TYPE = 'application/vnd.cncf.model.manifest.v1+json';
export const MODEL_CONFIG = 'application/vnd.cncf.model.config.v1+json';
export const MODEL_WEIGHT = 'application/vnd.cncf.model.weight.v1.raw';
export const MODEL_WEIGHT_CONFIG = 'application/vnd.cncf.model.weight.config.v1.raw';
export const MODEL_DOC = 'application/vnd.cncf.model.doc.v1.raw';

export const ANNOTATION_FILEPATH = 'org.cncf.model.filepath';
export const ANNOTATION_ETAG = 'io.ferry.hf.etag';
export const ANNOTATION_REPO = 'io.ferry.hf.repo';
export const ANNOTATION_TYPE = 'io.ferry.hf.type';
export const ANNOTATION_REVISION = 'io.ferry.hf.revision';
export const ANNOTATION_REF = 'io.ferry.hf.ref';

const WEIGHT = /\.(safetensors|bin|gguf|pt|pth|onnx|h5|msgpack|ckpt)$/i;

/** The ModelPack layer type of a repo file: weights, docs, or the rest (config, tokenizer, vocab …). */
export function layerMediaType(filePath: string): string {
  const name = path.posix.basename(filePath);
  if (WEIGHT.test(name)) return MODEL_WEIGHT;
  if (/\.md$/i.test(name) || /^(LICENSE|README)/i.test(name)) return MODEL_DOC;
  if (/\.txt$/i.test(name) && !/vocab|merges|token/i.test(name)) return MODEL_DOC;
  return MODEL_WEIGHT_CONFIG;
}

const Descriptor = z.object({
  mediaType: z.string(),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  annotations: z.record(z.string(), z.string()).optional(),
});
const Manifest = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.literal(OCI_MANIFEST),
  artifactType: z.literal(MODEL_ARTIFACT_TYPE),
  config: Descriptor,
  layers: z.array(Descriptor).min(1),
  annotations: z.record(z.string(), z.string()),
});

export interface HfManifestFile {
  path: string;
  etag: string;
  /** sha256:<hex> of the bytes. */
  digest: string;
  size: number;
  mediaType: string;
}

export interface HfManifest {
  repoId: string;
  type: HfRepoType;
  commit: string;
  ref?: string;
  files: HfManifestFile[];
}

function refused(message: string, details: Record<string, unknown> = {}): FerryError {
  return new FerryError('INTEGRITY', `${message} Ferry refuses to install it; nothing was written.`, details);
}

/**
 * Reads a bundle's HF manifest and checks everything that will become a name on disk before a
 * byte is written: repo id, type, commit, ref, and every file path and etag. Anything that could
 * write outside the repo folder, or two files onto one path, is refused as INTEGRITY.
 */
export function parseHfManifest(bytes: Uint8Array): HfManifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw refused(`The Hugging Face manifest is not valid JSON (${(err as Error).message}).`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw refused(
      `The manifest is not a Hugging Face repo in the ModelPack form (${issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'unknown shape'}).`,
    );
  }
  const { annotations, layers } = parsed.data;
  const repoId = annotations[ANNOTATION_REPO] ?? '';
  const type = annotations[ANNOTATION_TYPE] ?? '';
  const commit = annotations[ANNOTATION_REVISION] ?? '';
  const ref = annotations[ANNOTATION_REF];
  if (!isValidRepoId(repoId)) throw refused(`The manifest's ${ANNOTATION_REPO} ${JSON.stringify(repoId)} is not a Hugging Face repo id.`);
  if (!(HF_REPO_TYPES as readonly string[]).includes(type))
    throw refused(`The manifest of ${repoId} has ${ANNOTATION_TYPE} ${JSON.stringify(type)}; expected model, dataset or space.`, { repo: repoId });
  if (!isCommit(commit))
    throw refused(`The manifest of ${repoId} has ${ANNOTATION_REVISION} ${JSON.stringify(commit)}; expected a 40-hex commit.`, { repo: repoId });
  if (ref !== undefined) {
    const problem = refNameProblem(ref);
    if (problem) throw refused(`The manifest of ${repoId} names ref ${JSON.stringify(ref)}, which ${problem}.`, { repo: repoId, ref });
  }

  const files: HfManifestFile[] = [];
  const seen = new Set<string>();
  for (const layer of layers) {
    const filePath = layer.annotations?.[ANNOTATION_FILEPATH];
    const etag = layer.annotations?.[ANNOTATION_ETAG];
    if (filePath === undefined)
      throw refused(`A layer of ${repoId} (${layer.digest}) has no ${ANNOTATION_FILEPATH} annotation.`, { repo: repoId, blob: layer.digest });
    const problem = relativePathProblem(filePath);
    if (problem) throw refused(`File ${JSON.stringify(filePath)} of ${repoId} ${problem}.`, { repo: repoId, path: filePath });
    if (seen.has(filePath)) throw refused(`File ${JSON.stringify(filePath)} of ${repoId} appears twice in its manifest.`, { repo: repoId, path: filePath });
    seen.add(filePath);
    const kind = etag === undefined ? undefined : etagKind(etag);
    if (etag === undefined || !kind)
      throw refused(`File ${filePath} of ${repoId} has etag ${JSON.stringify(etag ?? null)}; expected 40 or 64 lowercase hex.`, {
        repo: repoId,
        path: filePath,
      });
    if (kind === 'sha256' && layer.digest !== `sha256:${etag}`) {
      throw refused(`File ${filePath} of ${repoId} has LFS etag ${etag} but digest ${layer.digest}; the two must be the same sha256.`, {
        repo: repoId,
        path: filePath,
      });
    }
    files.push({ path: filePath, etag, digest: layer.digest, size: layer.size, mediaType: layer.mediaType });
  }
  for (const file of files) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (seen.has(dir)) throw refused(`${dir} of ${repoId} is both a file and the folder of ${file.path}.`, { repo: repoId, path: file.path });
    }
  }
  return { repoId, type: type as HfRepoType, commit, ...(ref !== undefined ? { ref } : {}), files };
}

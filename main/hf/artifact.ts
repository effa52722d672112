import type { ArtifactInput, BlobInput } from '../bundle/plan.js';
import { sha256Digest, standInDigest, type DigestMode } from '../bundle/plan.js';
import { distinctLicences, licenceFromText, modelCardLicences, readHead } from '../content/licences.js';
import { canonicalJson } from '../util/canonical-json.js';
import { FerryError } from '../util/errors.js';
import type { HfResolvedFile, HfRevision } from './cache.js';
import { etagKind, hashHfFile } from './etag.js';
import {
  ANNOTATION_ETAG,
  ANNOTATION_FILEPATH,
  ANNOTATION_REF,
  ANNOTATION_REPO,
  ANNOTATION_REVISION,
  ANNOTATION_TYPE,
  MODEL_ARTIFACT_TYPE,
  MODEL_CONFIG,
  MODEL_DOC,
  OCI_MANIFEST,
  layerMediaType,
} from './modelpack.js';
import { hfDisplayName, hfUrlPrefix, parseHfSpec } from './names.js';

/** `huggingface.co/[datasets/|spaces/]<repoId>:<ref or commit>`: the reference a bundle shows for a revision. */
export function hfArtifactRef(revision: Pick<HfRevision, 'type' | 'repoId' | 'commit' | 'ref'>): string {
  return `huggingface.co/${hfUrlPrefix(revision.type)}${revision.repoId}:${revision.ref ?? revision.commit}`;
}

/** Why `ref` is not a reference hfArtifactRef writes (a valid repo id and revision), or undefined when it is. */
export function hfRefProblem(ref: string): string | undefined {
  const match = /^huggingface\.co\/([^:]+):(.+)$/.exec(ref);
  if (!match) return 'expected huggingface.co/[datasets/|spaces/]ORG/NAME:REVISION';
  try {
    const spec = parseHfSpec(`${match[1]}@${match[2]}`);
    return hfArtifactRef({ type: spec.type, repoId: spec.repoId, ref: spec.revision, commit: spec.revision }) === ref
      ? undefined
      : 'it is not in the form Ferry writes';
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * The sha256 of a file's bytes. For LFS files the etag is that sha256 already; files kept in git
 * are named by their git sha1, so they are read (they are small) and the sha1 checked on the way.
 */
async function layerDigest(file: HfResolvedFile, what: string, opts: HfArtifactOptions): Promise<string> {
  if (etagKind(file.etag) === 'sha256') return `sha256:${file.etag}`;
  if (opts.digests === 'sizes') return standInDigest(file.source);
  const { signal } = opts;
  const hashes = await hashHfFile(file.source, { gitSha1: true, ...(signal ? { signal } : {}) });
  if (hashes.gitSha1 !== file.etag || hashes.size !== file.size) {
    throw new FerryError(
      'INTEGRITY',
      `File ${file.path} of ${what} (${file.source}) does not match its etag ${file.etag}: the cache is damaged. Download the repo again.`,
      {
        path: file.source,
        etag: file.etag,
      },
    );
  }
  return `sha256:${hashes.sha256}`;
}

/**
 * One revision as a ModelPack OCI manifest: a config blob, then one raw layer per file sorted by
 * path, annotated with the file's path and etag so the far side rebuilds the cache byte-exact.
 * The manifest is canonical JSON, so the same cache always gives the same bytes.
 */
export interface HfArtifactOptions {
  signal?: AbortSignal;
  /** `sizes` for an estimate: files kept in git are not read (see DigestMode). */
  digests?: DigestMode;
}

export async function hfArtifact(revision: HfRevision, opts: HfArtifactOptions = {}): Promise<ArtifactInput> {
  const what = `${hfDisplayName(revision.type, revision.repoId)}@${revision.commit}`;
  if (revision.files.length === 0) {
    throw new FerryError('INVALID_INPUT', `${what} has no files in the cache; there is nothing to carry. Download it first (huggingface-cli download).`, {
      repo: revision.repoId,
      commit: revision.commit,
    });
  }
  const files = [...revision.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const owner = `Hugging Face repo ${what}`;

  const layers: { mediaType: string; digest: string; size: number; annotations: Record<string, string> }[] = [];
  const blobs = new Map<string, BlobInput>();
  for (const file of files) {
    opts.signal?.throwIfAborted();
    const digest = await layerDigest(file, what, opts);
    layers.push({
      mediaType: layerMediaType(file.path),
      digest,
      size: file.size,
      annotations: { [ANNOTATION_FILEPATH]: file.path, [ANNOTATION_ETAG]: file.etag },
    });
    if (!blobs.has(digest)) blobs.set(digest, { digest, size: file.size, source: { kind: 'file', path: file.source }, owner: `${owner} (${file.path})` });
  }

  const diffIds = layers.map((l) => l.digest);
  const config = Buffer.from(
    canonicalJson({ descriptor: { name: revision.repoId, revision: revision.commit }, config: {}, modelfs: { type: 'layers', diffIds } }),
  );
  const configDigest = sha256Digest(config);
  const manifest = Buffer.from(
    canonicalJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: MODEL_ARTIFACT_TYPE,
      config: { mediaType: MODEL_CONFIG, digest: configDigest, size: config.length },
      layers,
      annotations: {
        [ANNOTATION_REPO]: revision.repoId,
        [ANNOTATION_TYPE]: revision.type,
        [ANNOTATION_REVISION]: revision.commit,
        ...(revision.ref !== undefined ? { [ANNOTATION_REF]: revision.ref } : {}),
      },
    }),
  );

  return {
    kind: 'hf-repo',
    ref: hfArtifactRef(revision),
    mediaType: OCI_MANIFEST,
    manifest,
    blobs: [{ digest: configDigest, size: config.length, source: { kind: 'bytes', bytes: config }, owner: `${owner} (ModelPack config)` }, ...blobs.values()],
    licences: statedLicences(files) ?? [],
    facts: {
      hfRepo: revision.repoId,
      hfType: revision.type,
      revision: revision.commit,
      ...(revision.ref !== undefined ? { ref: revision.ref } : {}),
      files: files.length,
      licensePresent: files.some((f) => layerMediaType(f.path) === MODEL_DOC && /^LICEN[CS]E/i.test(f.path.split('/').pop()!)),
    },
  };
}

/** The model card's `license:` entry, else the first line of a top-level LICENSE file. */
function statedLicences(files: readonly HfResolvedFile[]): string[] | undefined {
  const card = files.find((f) => f.path.toLowerCase() === 'readme.md');
  const fromCard = card ? modelCardLicences(readHead(card.source) ?? '') : undefined;
  if (fromCard) return fromCard;
  const licenceFiles = files.filter((f) => !f.path.includes('/') && /^LICEN[CS]E/i.test(f.path));
  return distinctLicences(licenceFiles.map((f) => licenceFromText(readHead(f.source) ?? '')));
}

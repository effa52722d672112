import type { ArtifactKindRules } from '../bundle/artifact-kinds.js';
import { hfRefProblem } from './artifact.js';
import { etagKind } from './etag.js';
import { parseHfManifest } from './modelpack.js';

/** A Hugging Face repo revision as a bundle carries it; registered in main/kinds.ts. */
export const hfRepoKind: ArtifactKindRules = {
  kind: 'hf-repo',
  label: 'Hugging Face repo',
  refIs: 'a Hugging Face repo reference',
  refProblem: hfRefProblem,
  checkManifest: (bytes) => void parseHfManifest(bytes),
  // Files kept in git (not LFS) have their git blob sha1 as etag.
  gitSha1Files: (bytes) =>
    parseHfManifest(bytes)
      .files.filter((file) => etagKind(file.etag) === 'git-sha1')
      .map(({ path, etag, digest }) => ({ path, etag, digest })),
};

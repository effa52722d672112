import type { ArtifactKindRules } from '../bundle/artifact-kinds.js';
import { filesRefProblem } from './artifact.js';
import { parseFilesManifest } from './manifest.js';

/** Plain files (and Ferry's own installer) as a bundle carries them; registered in main/kinds.ts. */
export const filesKind: ArtifactKindRules = {
  kind: 'files',
  label: 'files artifact',
  refIs: 'a reference Ferry gives files',
  refProblem: filesRefProblem,
  checkManifest: (bytes) => void parseFilesManifest(bytes),
};

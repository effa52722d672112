import type { ArtifactKindRules } from '../bundle/artifact-kinds.js';
import { recordedReferenceProblem } from './reference.js';

/** Container images and Helm charts go to a registry as carried: the bundle format checks only their refs. Registered in main/kinds.ts. */
export const imageKind: ArtifactKindRules = { kind: 'image', label: 'image', refIs: 'a registry reference', refProblem: recordedReferenceProblem };

export const helmChartKind: ArtifactKindRules = {
  kind: 'helm-chart',
  label: 'Helm chart',
  refIs: 'a registry reference',
  refProblem: recordedReferenceProblem,
};

import type { ArtifactKind } from '../../shared/bundle.js';
import { artifactKindRules } from './artifact-kinds.js';

/**
 * Why an artifact's ref from BUNDLE.json is not what its kind's exporter writes, as the end of a
 * sentence ("names image "x", which is not a registry reference: …"), or undefined when it is.
 * Refs become paths and registry names on this side, so every kind is checked, not only Ollama's.
 */
export function artifactRefProblem(kind: ArtifactKind, ref: string): string | undefined {
  const rules = artifactKindRules(kind);
  const problem = rules.refProblem(ref);
  return problem === undefined ? undefined : `names ${rules.label} ${JSON.stringify(ref)}, which is not ${rules.refIs}: ${problem}`;
}

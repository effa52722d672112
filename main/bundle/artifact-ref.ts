import type { ArtifactKind } from '../../shared/bundle.js';
import { filesRefProblem } from '../files/artifact.js';
import { hfRefProblem } from '../hf/artifact.js';
import { fullRefProblem } from '../ollama/names.js';
import { recordedReferenceProblem } from '../registry/reference.js';

/** For each artifact kind: what its ref is called, and why a ref is not one its exporter writes. */
const REF_CHECKS: Record<ArtifactKind, { label: string; what: string; problem: (ref: string) => string | undefined }> = {
  'ollama-model': { label: 'Ollama model', what: 'a safe Ollama model name', problem: fullRefProblem },
  image: { label: 'image', what: 'a registry reference', problem: recordedReferenceProblem },
  'helm-chart': { label: 'Helm chart', what: 'a registry reference', problem: recordedReferenceProblem },
  'hf-repo': { label: 'Hugging Face repo', what: 'a Hugging Face repo reference', problem: hfRefProblem },
  files: { label: 'files artifact', what: 'a reference Ferry gives files', problem: filesRefProblem },
};

/**
 * Why an artifact's ref from BUNDLE.json is not what its kind's exporter writes, as the end of a
 * sentence ("names image "x", which is not a registry reference: …"), or undefined when it is.
 * Refs become paths and registry names on this side, so every kind is checked, not only Ollama's.
 */
export function artifactRefProblem(kind: ArtifactKind, ref: string): string | undefined {
  const check = REF_CHECKS[kind];
  const problem = check.problem(ref);
  return problem === undefined ? undefined : `names ${check.label} ${JSON.stringify(ref)}, which is not ${check.what}: ${problem}`;
}

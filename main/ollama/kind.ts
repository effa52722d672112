import type { ArtifactKindRules } from '../bundle/artifact-kinds.js';
import { parseManifest } from './manifest.js';
import { fullRefProblem } from './names.js';

/** An Ollama model as a bundle carries it; registered in main/kinds.ts. */
export const ollamaModelKind: ArtifactKindRules = {
  kind: 'ollama-model',
  label: 'Ollama model',
  refIs: 'a safe Ollama model name',
  refProblem: fullRefProblem,
  // Ollama matches names without regard to case, so two such refs are one model.
  refKey: (ref) => ref.toLowerCase(),
  checkManifest: (bytes, ref) => void parseManifest(bytes, ref),
};

import type { ArtifactKind } from '../../shared/bundle.js';
import { parseFullRef } from '../ollama/names.js';
import { FerryError } from '../util/errors.js';
import { checkRepository, parseReference, type Reference } from './reference.js';

/**
 * A bundle artifact's ref as a registry reference. Images, charts and files carry docker-style
 * refs already; Ollama models carry Ollama's host/namespace/model:tag, lowercased here. Hugging Face refs keep the repo id's case and the HF ref name
 * (huggingface.co/BAAI/bge-small-en-v1.5:refs/pr/1 style names included), which registries do not
 * accept: the path is lowercased and the tag keeps only the characters a tag may hold.
 */
export function sourceReference(kind: ArtifactKind, ref: string): Reference {
  if (kind === 'ollama-model') {
    // host/namespace/model:tag as Ollama names it, mixed case included (hf.co/Org/Model-GGUF:Q4_K_M).
    const name = parseFullRef(ref);
    return { registry: name.host.toLowerCase(), repository: `${name.namespace}/${name.model}`.toLowerCase(), tag: name.tag };
  }
  if (kind !== 'hf-repo') return parseReference(ref);
  const colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  if (slash < 0 || colon < slash) throw new FerryError('INVALID_INPUT', `Hugging Face artifact ref "${ref}" is not HOST/REPO:REVISION.`, { reference: ref });
  const registry = ref.slice(0, slash);
  const repository = ref.slice(slash + 1, colon).toLowerCase();
  checkRepository(repository, `Hugging Face artifact ref "${ref}"`);
  const tag = ref
    .slice(colon + 1)
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
  return { registry, repository, tag: tag || 'latest' };
}

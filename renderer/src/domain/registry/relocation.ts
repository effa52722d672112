/** The renderer's copy of the engine's relocation rule (main/registry/reference.ts), for showing where artifacts will go. */

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$/;
const PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export interface RegistryTarget {
  registry: string;
  prefix: string;
}

/** HOST[:PORT][/PREFIX], or null when it is not one. */
export function parseTarget(input: string): RegistryTarget | null {
  const trimmed = input
    .trim()
    .replace(/^(?:oci|https?):\/\//, '')
    .replace(/\/+$/, '');
  const [registry, ...rest] = trimmed.split('/');
  if (!registry || !HOST.test(registry)) return null;
  if (rest.some((part) => !PATH.test(part))) return null;
  return { registry, prefix: rest.join('/') };
}

/** `<host>/<prefix>/<source path>:<tag>` for a reference as the bundle records it (host/path:tag[@digest]). */
export function relocatedRef(source: string, target: RegistryTarget): string {
  let rest = source.replace(/^oci:\/\//, '');
  const at = rest.indexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  const colon = rest.indexOf(':', rest.lastIndexOf('/') + 1);
  const tag = colon >= 0 ? rest.slice(colon + 1) : '';
  if (colon >= 0) rest = rest.slice(0, colon);
  const parts = rest.split('/');
  const repository = (parts.length > 1 ? parts.slice(1) : parts).join('/');
  const path = target.prefix ? `${target.prefix}/${repository}` : repository;
  return `${target.registry}/${path}${tag ? `:${tag}` : ''}`;
}

/** A Hugging Face artifact ref (huggingface.co/ORG/NAME:REVISION) as a registry reference: lowercase path, a tag a registry takes. */
function hfSourceRef(ref: string): string {
  const colon = ref.indexOf(':');
  if (colon < 0) return ref;
  const tag = ref
    .slice(colon + 1)
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128);
  return `${ref.slice(0, colon).toLowerCase()}:${tag || 'latest'}`;
}

/**
 * An Ollama model (host/namespace/model:tag) lands at a two-part repository Ollama can name:
 * the prefix's last part, or the source namespace without a prefix, then the model, lowercased (relocateOllamaModel).
 */
function relocatedOllamaRef(ref: string, target: RegistryTarget): string {
  const colon = ref.lastIndexOf(':');
  const [, namespace = '', model = ''] = ref.slice(0, colon).toLowerCase().split('/');
  const lastPrefixPart = target.prefix.split('/').pop();
  return `${target.registry}/${lastPrefixPart || namespace}/${model}:${ref.slice(colon + 1)}`;
}

/** Where an artifact of this kind lands under the target (main/registry/source-ref.ts, then relocate). */
export function relocatedArtifactRef(kind: string, ref: string, target: RegistryTarget): string {
  if (kind === 'ollama-model') return relocatedOllamaRef(ref, target);
  return relocatedRef(kind === 'hf-repo' ? hfSourceRef(ref) : ref, target);
}

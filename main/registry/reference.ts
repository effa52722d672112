import fsp from 'node:fs/promises';
import { fullRefProblem } from '../ollama/names.js';
import { FerryError } from '../util/errors.js';

/** A parsed image or chart reference: docker.io/library/nginx:1.27.3, ghcr.io/org/app@sha256:… */
export interface Reference {
  /** The registry as people name it (docker.io, harbor.internal:8443). */
  registry: string;
  /** The repository path without the registry (library/nginx). */
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]+)?$/;

function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

export function checkRepository(repository: string, what: string): void {
  const bad = repository.split('/').find((c) => !PATH_COMPONENT.test(c));
  if (bad !== undefined || repository.length > 255) {
    throw new FerryError(
      'USAGE',
      `${what}: "${repository}" is not a valid repository path (lowercase letters, digits and . _ - between them, parts separated by /).`,
      { field: 'reference' },
    );
  }
}

/**
 * Parses a reference as docker and helm read them: a missing registry means docker.io (and a
 * one-part path there means library/), a missing tag means latest, `oci://` is Helm's prefix.
 */
export function parseReference(input: string): Reference {
  const what = `Reference "${input}"`;
  let rest = input.trim().replace(/^oci:\/\//, '');
  if (!rest) throw new FerryError('USAGE', `${what} is empty.`, { field: 'reference' });
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new FerryError('USAGE', `${what}: the digest must be sha256: and 64 lowercase hex characters.`, { field: 'reference' });
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new FerryError('USAGE', `${what}: "${tag}" is not a valid tag.`, { field: 'reference' });
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && looksLikeHost(parts[0]!)) registry = parts.shift()!;
  if (!HOST.test(registry)) throw new FerryError('USAGE', `${what}: "${registry}" is not a registry host.`, { field: 'reference' });
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  checkRepository(repository, what);
  if (!tag && !digest) tag = 'latest';
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** host/repository[:tag][@digest], the form recorded in the bundle. */
export function formatReference(ref: Reference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Why `ref` is not a full reference as formatReference writes it (registry, repository, tag and/or digest), or undefined. */
export function recordedReferenceProblem(ref: string): string | undefined {
  try {
    return formatReference(parseReference(ref)) === ref ? undefined : 'it is not written in full (host/repository:tag)';
  } catch (err) {
    return (err as Error).message;
  }
}

/** The host to talk to: Docker Hub's API lives at registry-1.docker.io. */
export function endpointHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

/** A push target: `harbor.internal/airgap`, `127.0.0.1:5000`. */
export interface RegistryTarget {
  registry: string;
  prefix: string;
}

export function parseRegistryTarget(input: string): RegistryTarget {
  const trimmed = input
    .trim()
    .replace(/^(?:oci|https?):\/\//, '')
    .replace(/\/+$/, '');
  const [registry, ...prefixParts] = trimmed.split('/');
  if (!registry || !HOST.test(registry)) {
    throw new FerryError('USAGE', `"${input}" is not a registry: give HOST[:PORT][/PREFIX], e.g. harbor.internal/airgap.`, { field: 'to-registry' });
  }
  const prefix = prefixParts.join('/');
  if (prefix) checkRepository(prefix, `Registry prefix "${prefix}"`);
  return { registry, prefix };
}

/** Explicit relocations, one per line: `SOURCE-REPOSITORY DESTINATION-REPOSITORY` (both with their host). */
export type RelocationMap = ReadonlyArray<{ from: string; to: Reference; line: number; file: string }>;

/** Reads and parses a relocation map file, naming the file when it cannot be read. */
export async function readRelocationMap(file: string): Promise<RelocationMap> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    throw new FerryError('USAGE', `Cannot read the mapping file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, { file });
  }
  return parseRelocationMap(text, file);
}

export function parseRelocationMap(text: string, file: string): RelocationMap {
  const map: { from: string; to: Reference; line: number; file: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const fields = line.split(/\s+/);
    if (fields.length !== 2)
      throw new FerryError('USAGE', `${file}, line ${i + 1}: expected "SOURCE DESTINATION" (two repositories with their hosts).`, { file, line: i + 1 });
    // Sources are matched in lowercase: Ollama names (hf.co/Org/Model-GGUF) are case-insensitive.
    const from = parseReference(fields[0]!.toLowerCase());
    const to = parseReference(fields[1]!);
    if (from.digest || to.digest || from.tag !== 'latest' || to.tag !== 'latest') {
      throw new FerryError('USAGE', `${file}, line ${i + 1}: map repositories, without tags or digests.`, { file, line: i + 1 });
    }
    map.push({ from: `${from.registry}/${from.repository}`, to: { registry: to.registry, repository: to.repository }, line: i + 1, file });
  });
  return map;
}

/** The map entry for the repository, or for a parent path of it: the longest match counts. */
function mapEntryFor(source: Reference, map: RelocationMap) {
  const full = `${source.registry}/${source.repository}`.toLowerCase();
  const match = map.filter((m) => full === m.from || full.startsWith(`${m.from}/`)).sort((a, b) => b.from.length - a.from.length)[0];
  return match ? { entry: match, repository: match.to.repository + full.slice(match.from.length) } : null;
}

/**
 * Where a source reference goes: `<host>/<prefix>/<source path>:<tag>`, digests unchanged. A map
 * entry for the repository, or for a parent path of it, wins; the longest match counts.
 * Ollama models go elsewhere: see relocateOllamaModel.
 */
export function relocate(source: Reference, target: RegistryTarget, map: RelocationMap = []): Reference {
  const mapped = mapEntryFor(source, map);
  const tagAndDigest = { ...(source.tag ? { tag: source.tag } : {}), ...(source.digest ? { digest: source.digest } : {}) };
  if (mapped) return { registry: mapped.entry.to.registry, repository: mapped.repository, ...tagAndDigest };
  return { registry: target.registry, repository: target.prefix ? `${target.prefix}/${source.repository}` : source.repository, ...tagAndDigest };
}

/**
 * Ollama names a model `host/namespace/model:tag` and nothing longer, so an Ollama model lands at a
 * two-part repository, never at `<prefix>/<namespace>/<model>`:
 * - under `HOST/PREFIX`, the namespace is the prefix's last segment: registry.ollama.ai/library/granite4.1:8b
 *   under harbor.internal/airgap lands at harbor.internal/airgap/granite4.1:8b;
 * - under a bare `HOST`, the source namespace stays: 127.0.0.1:5000/library/granite4.1:8b;
 * - names are lowercased (registries take no capitals; Ollama matches names case-insensitively), the tag
 *   is kept: hf.co/Org/Model-GGUF:Q4_K_M under harbor.internal/airgap lands at harbor.internal/airgap/model-gguf:Q4_K_M;
 * - a --map entry may place it anywhere else, as long as the result is again namespace/model.
 * `source` is the model's reference with its repository `namespace/model`, as sourceReference gives it.
 */
export function relocateOllamaModel(source: Reference, ref: string, target: RegistryTarget, map: RelocationMap = []): Reference {
  const [namespace, model] = source.repository.split('/') as [string, string];
  const mapped = mapEntryFor(source, map);
  const registry = mapped ? mapped.entry.to.registry : target.registry;
  const repository = mapped ? mapped.repository : `${target.prefix ? target.prefix.split('/').pop()! : namespace}/${model}`;
  const destination: Reference = { registry, repository, tag: source.tag ?? 'latest' };
  const where = formatReference(destination);
  const fix = mapped
    ? `Change line ${mapped.entry.line} of ${mapped.entry.file} to give it a destination of the form HOST/NAMESPACE/MODEL.`
    : `Give it a destination with --map FILE (a line "${source.registry}/${source.repository} ${registry}/NAMESPACE/MODEL").`;
  const parts = repository.split('/').length;
  const problem =
    parts !== 2
      ? `it has ${parts} parts after the host, and Ollama names a model host/namespace/model:tag`
      : (fullRefProblem(where) ?? repositoryProblem(repository));
  if (problem)
    throw new FerryError('USAGE', `The Ollama model ${ref} would land at ${where}, which Ollama cannot pull: ${problem}. ${fix}`, {
      reference: ref,
      destination: where,
    });
  return destination;
}

function repositoryProblem(repository: string): string | undefined {
  try {
    checkRepository(repository, 'The destination');
    return undefined;
  } catch {
    return `"${repository}" is not a repository path a registry accepts`;
  }
}

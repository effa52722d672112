import { FerryError } from '../util/errors.js';

/** A fully qualified Ollama model name; every part is validated and safe as a path segment. */
export interface OllamaName {
  host: string;
  namespace: string;
  model: string;
  tag: string;
}

export const DEFAULT_HOST = 'registry.ollama.ai';
export const DEFAULT_NAMESPACE = 'library';
export const DEFAULT_TAG = 'latest';

type PartKind = 'host' | 'namespace' | 'model' | 'tag';

// Ollama's rules (types/model/name.go): first character alphanumeric or '_'; then '-', '_' and
// '.' (not in namespaces); ':' only in hosts (a port). Hosts up to 350 characters, the rest 80.
const PART_PATTERN: Record<PartKind, RegExp> = {
  host: /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,349}$/,
  namespace: /^[A-Za-z0-9_][A-Za-z0-9_-]{0,79}$/,
  model: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/,
  tag: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/,
};

const DIGEST_PATTERN = /^sha256[:-]([0-9a-f]{64})$/;

/** Why `part` is not a valid `kind`, or undefined when it is. */
function partProblem(kind: PartKind, part: string): string | undefined {
  if (part === '') return `the ${kind} is empty`;
  if (part.includes('..')) return `the ${kind} "${part}" contains ".."`;
  if (/[/\\]/.test(part)) return `the ${kind} "${part}" contains a path separator`;
  if (!PART_PATTERN[kind].test(part)) {
    const max = kind === 'host' ? 350 : 80;
    if (part.length > max) return `the ${kind} is longer than ${max} characters`;
    if (!/^[A-Za-z0-9_]/.test(part)) return `the ${kind} "${part}" must start with a letter, digit or "_"`;
    const allowed = kind === 'host' ? 'letters, digits, ".", "-", "_" and ":"' : kind === 'namespace' ? 'letters, digits, "-" and "_"' : 'letters, digits, ".", "-" and "_"';
    return `the ${kind} "${part}" may only contain ${allowed}`;
  }
  return undefined;
}

export function isValidNamePart(kind: PartKind, part: string): boolean {
  return partProblem(kind, part) === undefined;
}

/**
 * Parses `[scheme://][host/][namespace/]model[:tag][@sha256:<hex>]` as Ollama does, filling
 * defaults, and also returns the digest suffix when there is one (normalised to `sha256:<hex>`).
 */
export function parseOllamaNameAndDigest(input: string): { name: OllamaName; digest?: string } {
  const fail = (why: string): never => {
    throw new FerryError('USAGE', `"${input}" is not a valid Ollama model name: ${why}.`, { name: input });
  };
  let s = input.trim();
  if (s.startsWith('http://')) s = s.slice('http://'.length);
  else if (s.startsWith('https://')) s = s.slice('https://'.length);
  if (s === '') fail('it is empty');

  let digest: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    const match = DIGEST_PATTERN.exec(s.slice(at + 1));
    if (!match) fail('the part after "@" is not a sha256 digest (sha256:<64 lowercase hex>)');
    digest = `sha256:${match![1]}`;
    s = s.slice(0, at);
  }

  let tag = DEFAULT_TAG;
  // ':' after the last '/' starts the tag; one before it belongs to the host's port.
  const colon = s.lastIndexOf(':');
  if (colon > s.lastIndexOf('/')) {
    tag = s.slice(colon + 1);
    s = s.slice(0, colon);
  }
  const segments = s.split('/');
  if (segments.length > 3) fail('it has more than three "/"-separated parts (host/namespace/model)');
  const model = segments.pop()!;
  const namespace = segments.pop() ?? DEFAULT_NAMESPACE;
  const host = segments.pop() ?? DEFAULT_HOST;
  const name: OllamaName = { host, namespace, model, tag };

  for (const kind of ['host', 'namespace', 'model', 'tag'] as const) {
    const why = partProblem(kind, name[kind]);
    if (why) fail(why);
  }
  return digest === undefined ? { name } : { name, digest };
}

/** Parses a model name the way `ollama pull/run` accept it; throws USAGE naming the input. */
export function parseOllamaName(input: string): OllamaName {
  return parseOllamaNameAndDigest(input).name;
}

/** The name `ollama list` shows: defaults are left out, left to right. */
export function ollamaDisplayName(n: OllamaName): string {
  if (n.host.toLowerCase() !== DEFAULT_HOST) return `${n.host}/${n.namespace}/${n.model}:${n.tag}`;
  if (n.namespace.toLowerCase() !== DEFAULT_NAMESPACE) return `${n.namespace}/${n.model}:${n.tag}`;
  return `${n.model}:${n.tag}`;
}

/** `host/namespace/model:tag`, with nothing left out. */
export function ollamaFullRef(n: OllamaName): string {
  return `${n.host}/${n.namespace}/${n.model}:${n.tag}`;
}

/** The four path segments under manifests/, re-validated so a hand-built OllamaName cannot escape. */
export function manifestPathParts(n: OllamaName): [string, string, string, string] {
  for (const kind of ['host', 'namespace', 'model', 'tag'] as const) {
    const why = partProblem(kind, n[kind]);
    if (why) throw new FerryError('INVALID_INPUT', `Refusing the Ollama model name ${JSON.stringify(n)}: ${why}.`, { name: n });
  }
  return [n.host, n.namespace, n.model, n.tag];
}

/**
 * Parses exactly `host/namespace/model:tag` as written by ollamaFullRef. Used on untrusted bundle
 * data, so nothing is defaulted and anything else is INVALID_INPUT.
 */
export function parseFullRef(ref: string): OllamaName {
  const parsed = checkFullRef(ref);
  if ('why' in parsed) throw new FerryError('INVALID_INPUT', `The Ollama model reference ${JSON.stringify(ref)} is not valid: ${parsed.why}.`, { ref });
  return parsed.name;
}

/** Why `ref` is not exactly `host/namespace/model:tag` with safe parts, or undefined when it is. */
export function fullRefProblem(ref: string): string | undefined {
  const parsed = checkFullRef(ref);
  return 'why' in parsed ? parsed.why : undefined;
}

function checkFullRef(ref: string): { name: OllamaName } | { why: string } {
  if (typeof ref !== 'string' || ref === '') return { why: 'it is empty' };
  // Said first: a ".." part is the one that would climb out of manifests/ were it used as a path.
  if (ref.split(/[/\\:]/).includes('..')) return { why: 'it has a ".." path part' };
  const match = /^([^/]*)\/([^/]*)\/([^/:]*):([^/:]*)$/.exec(ref);
  if (!match) return { why: 'expected host/namespace/model:tag' };
  const [, host, namespace, model, tag] = match as unknown as [string, string, string, string, string];
  const name: OllamaName = { host, namespace, model, tag };
  for (const kind of ['host', 'namespace', 'model', 'tag'] as const) {
    const why = partProblem(kind, name[kind]);
    if (why) return { why };
  }
  return { name };
}

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

// Ollama's rules (types/model/name.go, isValidPart): the first character a letter, digit or '_';
// then also '-', '_' and '.' (not in namespaces), and ':' in hosts only (a port). Hosts are 1-350
// characters, the rest 1-80. So `qwen2..5` is a model, while a part that is only dots, or holds
// '/', '\\' or NUL, never is: every valid part is safe as one path segment.
const MAX_LENGTH: Record<PartKind, number> = { host: 350, namespace: 80, model: 80, tag: 80 };
const LATER_CHARS: Record<PartKind, RegExp> = {
  host: /^[A-Za-z0-9_.:-]*$/,
  namespace: /^[A-Za-z0-9_-]*$/,
  model: /^[A-Za-z0-9_.-]*$/,
  tag: /^[A-Za-z0-9_.-]*$/,
};
const ALLOWED: Record<PartKind, string> = {
  host: 'letters, digits, ".", "-", "_" and ":"',
  namespace: 'letters, digits, "-" and "_"',
  model: 'letters, digits, ".", "-" and "_"',
  tag: 'letters, digits, ".", "-" and "_"',
};

const DIGEST_PATTERN = /^sha256[:-]([0-9a-f]{64})$/;

/** Why `part` is not a valid `kind`, or undefined when it is. */
function partProblem(kind: PartKind, part: string): string | undefined {
  if (part === '') return `the ${kind} is empty`;
  if (part.length > MAX_LENGTH[kind]) return `the ${kind} is longer than ${MAX_LENGTH[kind]} characters`;
  if (!/^[A-Za-z0-9_]/.test(part)) return `the ${kind} ${JSON.stringify(part)} must start with a letter, digit or "_"`;
  if (!LATER_CHARS[kind].test(part)) return `the ${kind} ${JSON.stringify(part)} may only contain ${ALLOWED[kind]}`;
  return undefined;
}

export function isValidNamePart(kind: PartKind, part: string): boolean {
  return partProblem(kind, part) === undefined;
}

/**
 * Parses `[[scheme://]host/][namespace/]model[:tag][@sha256:<hex>]` as Ollama's ParseName does,
 * filling defaults, and also returns the digest suffix when there is one (normalised to
 * `sha256:<hex>`; a Ferry addition for pinning a model). As in Ollama, a scheme belongs to the host,
 * so it is only recognised when all three parts are written.
 */
export function parseOllamaNameAndDigest(input: string): { name: OllamaName; digest?: string } {
  const fail = (why: string): never => {
    throw new FerryError('USAGE', `"${input}" is not a valid Ollama model name: ${why}.`, { name: input });
  };
  let s = input.trim();
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
  const scheme = /^[^/]*:\/\//.exec(s)?.[0] ?? '';
  const segments = s.slice(scheme.length).split('/');
  if (segments.length > 3) fail('it has more than three "/"-separated parts (host/namespace/model)');
  if (scheme !== '' && segments.length < 3) fail(`"${scheme}" needs a host, a namespace and a model after it`);
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

/** True when `a` and `b` name the same model: Ollama compares every part ignoring case (EqualFold). */
export function sameOllamaName(a: OllamaName, b: OllamaName): boolean {
  return ollamaFullRef(a).toLowerCase() === ollamaFullRef(b).toLowerCase();
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

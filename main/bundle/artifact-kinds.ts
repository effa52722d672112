import type { ArtifactKind } from '../../shared/bundle.js';
import { FerryError } from '../util/errors.js';

/** A file an artifact's manifest says is kept in git: its blob `digest` must also hash to the git blob sha1 `etag`. */
export interface GitSha1File {
  path: string;
  etag: string;
  /** sha256:<hex> of the file's bytes: the blob that carries it. */
  digest: string;
}

/**
 * What the bundle format needs to know about one kind of artifact to verify a bundle that carries it.
 * bundle/ imports no kind's folder: each kind implements this in main/<kind>/kind.ts, and main/kinds.ts
 * registers them all.
 */
export interface ArtifactKindRules {
  kind: ArtifactKind;
  /** How a sentence names an artifact of this kind: "Ollama model". */
  label: string;
  /** What its ref must be, to end "which is not …": "a safe Ollama model name". */
  refIs: string;
  /** Why `ref` is not one this kind's exporter writes, or undefined when it is. Refs become paths and registry names. */
  refProblem(ref: string): string | undefined;
  /** Refs with the same key install as one artifact (Ollama matches names without regard to case); the ref itself when absent. */
  refKey?(ref: string): string;
  /** Reads the manifest as this kind's installer will, throwing what it would refuse. Absent when the manifest goes to a registry as is. */
  checkManifest?(manifest: Buffer, ref: string): void;
  /** The manifest's files whose etag is a git blob sha1, hashed that way too by a deep verify. Throws when the manifest cannot be read. */
  gitSha1Files?(manifest: Buffer): readonly GitSha1File[];
}

const registered = new Map<ArtifactKind, ArtifactKindRules>();

/** Called by main/kinds.ts only, once per kind: a second registration of a kind is a mistake, refused. */
export function registerArtifactKind(rules: ArtifactKindRules): void {
  if (registered.has(rules.kind)) throw new FerryError('INTERNAL', `Artifact kind ${rules.kind} is registered twice: main/kinds.ts registers each kind once.`);
  registered.set(rules.kind, rules);
}

/** The rules of `kind`; refuses loudly when the process's entry point did not register the kinds. */
export function artifactKindRules(kind: ArtifactKind): ArtifactKindRules {
  const rules = registered.get(kind);
  if (!rules) {
    throw new FerryError(
      'INTERNAL',
      `Artifact kind ${kind} is not registered: the entry point of this process (or worker thread) must import main/kinds.js before it reads a bundle.`,
      { kind },
    );
  }
  return rules;
}

/** The kinds registered so far in this process (or worker thread). */
export function registeredArtifactKinds(): ArtifactKind[] {
  return [...registered.keys()];
}

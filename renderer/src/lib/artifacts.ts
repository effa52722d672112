import type { ArtifactKind } from '../../../shared/bundle.js';

const KIND_LABELS: Record<ArtifactKind, string> = {
  'ollama-model': 'Ollama model',
  'hf-repo': 'Hugging Face repository',
  image: 'Container image',
  'helm-chart': 'Helm chart',
  files: 'Files',
};

const KIND_NOUNS: Record<ArtifactKind, string> = {
  'ollama-model': 'Ollama model',
  'hf-repo': 'Hugging Face repository',
  image: 'container image',
  'helm-chart': 'Helm chart',
  files: 'file set',
};

export function kindLabel(kind: ArtifactKind): string {
  return KIND_LABELS[kind] ?? kind;
}

const ATTACHMENT_LABELS: Record<string, string> = { signature: 'Signature', attestation: 'Attestation', sbom: 'SBOM', referrer: 'OCI referrer' };

/** What a manifest carried with an image or chart is: "Signature", "SBOM". */
export function attachmentLabel(kind: string): string {
  return ATTACHMENT_LABELS[kind] ?? kind;
}

/** What an artifact is, in a table's Kind column: "Container image", or "Signature of sha256:1a2b3c4d…" for what rides with one. */
export function artifactKindText(kind: string, attachment?: { kind: string; subject: string }): string {
  return attachment ? `${attachmentLabel(attachment.kind)} of ${attachment.subject.slice(0, 19)}…` : kindLabel(kind as ArtifactKind);
}

/** The attachment BUNDLE.json records on an artifact carried with another (its `attachment` and `subject` facts). */
export function bundleAttachment(a: Readonly<Record<string, unknown>>): { kind: string; subject: string } | undefined {
  return typeof a.attachment === 'string' && typeof a.subject === 'string' ? { kind: a.attachment, subject: a.subject } : undefined;
}

/** The kind inside a sentence: "2 container images". */
export function kindNoun(kind: ArtifactKind): string {
  return KIND_NOUNS[kind] ?? kind;
}

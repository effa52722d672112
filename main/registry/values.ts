import type { PushedArtifact } from './push.js';

/** YAML accepts JSON strings, so every value is written as one: no tag like 1.20 turns into a number. */
const str = (value: string) => JSON.stringify(value);

/** A readable key per image: its last path part, longer when two images would share it. */
function keysFor(images: readonly PushedArtifact[]): string[] {
  const parts = images.map((i) => i.repository.split('/'));
  return parts.map((p, i) => {
    for (let take = 1; take <= p.length; take++) {
      const key = p.slice(-take).join('/');
      if (!parts.some((other, j) => j !== i && other.slice(-take).join('/') === key)) return key;
    }
    return p.join('/');
  });
}

/**
 * The Helm values snippet operators used to assemble by hand: for each image pushed, the
 * repository, tag and digest where it now lives. Ollama models (with their `ollama pull` command)
 * and charts follow, as comments.
 */
export function valuesSnippet(pushed: readonly PushedArtifact[], context: { bundleDigest: string; target: string; ferryVersion: string }): string {
  const images = pushed.filter((p) => p.kind === 'image');
  const models = pushed.filter((p) => p.pull);
  const others = pushed.filter((p) => p.kind !== 'image' && !p.pull);
  const lines = [
    `# values-airgap.yaml: written by Ferry ${context.ferryVersion} after pushing bundle`,
    `# ${context.bundleDigest} to ${context.target}.`,
    '# One block per image, with the repository, tag and digest it now has. Move each block under',
    '# the key your chart reads it from; keep the digest, it pins exactly what crossed the gap.',
  ];
  if (images.length === 0) lines.push('{}  # this bundle carried no container images');
  const keys = keysFor(images);
  images.forEach((image, i) => {
    lines.push(`${str(keys[i]!)}:`, `  # from ${image.ref}`, '  image:', `    repository: ${str(`${image.registry}/${image.repository}`)}`);
    if (image.tag) lines.push(`    tag: ${str(image.tag)}`);
    lines.push(`    digest: ${str(image.digest)}`);
  });
  if (models.length > 0) {
    lines.push('', '# Ollama models, for the machines that run Ollama (the registry must redirect blob downloads and allow anonymous pull):');
    for (const model of models) lines.push(`#   ${model.pull}   (from ${model.ref}, ${model.digest})`);
  }
  if (others.length > 0) {
    lines.push('', '# Also pushed:');
    for (const other of others) lines.push(`#   ${other.kind}: oci://${other.destination}@${other.digest}   (from ${other.ref})`);
  }
  return lines.join('\n') + '\n';
}

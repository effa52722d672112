import type { ArtifactInput, BlobInput } from '../bundle/plan.js';
import { FerryError } from '../util/errors.js';
import { cloudModelReason } from './details.js';
import { distinctLicences, licenceFromText, readHead } from '../content/licences.js';
import { MEDIA_TYPE_LICENSE, type OllamaModel } from './store.js';

export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';

/** An Ollama model as a bundle artifact: its manifest bytes as stored, its config and layers as blobs. */
export function ollamaArtifact(model: OllamaModel): ArtifactInput {
  if (model.remote) {
    throw new FerryError(
      'INVALID_INPUT',
      `Model ${model.displayName} is ${cloudModelReason(model.remote)}. Leave it out, or carry a model pulled with its weights.`,
      {
        model: model.ref,
        remote: model.remote,
      },
    );
  }
  const owner = `model ${model.displayName}`;
  const blobs: BlobInput[] = [model.config, ...model.layers].map((blob) => ({
    digest: blob.digest,
    size: blob.size,
    source: { kind: 'file', path: blob.path },
    owner,
  }));
  const { details } = model;
  return {
    kind: 'ollama-model',
    ref: model.ref,
    mediaType: DOCKER_MANIFEST_V2,
    manifest: model.manifestBytes,
    blobs,
    licences: stated(model) ?? [],
    facts: {
      modelId: model.modelId,
      licensePresent: model.licensePresent,
      ...(details.family ? { family: details.family } : {}),
      ...(details.parameters ? { parameters: details.parameters } : {}),
      ...(details.quantization ? { quantization: details.quantization } : {}),
    },
  };
}

/** The first line of each licence layer: "LLAMA 3.2 COMMUNITY LICENSE AGREEMENT", "Gemma Terms of Use". */
function stated(model: OllamaModel): string[] | undefined {
  const layers = model.layers.filter((l) => l.mediaType === MEDIA_TYPE_LICENSE);
  return distinctLicences(layers.map((l) => licenceFromText(readHead(l.path) ?? '') ?? 'a licence (unreadable)'));
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArtifactKind } from '../shared/bundle.js';
import { artifactKindRules, registerArtifactKind, registeredArtifactKinds } from './bundle/artifact-kinds.js';
import './kinds.js';

test('main/kinds.ts registers every artifact kind the bundle format names, each as itself', () => {
  assert.deepEqual(registeredArtifactKinds().sort(), [...ArtifactKind.options].sort());
  for (const kind of ArtifactKind.options) assert.equal(artifactKindRules(kind).kind, kind);
});

test('a kind registered a second time is refused, and the first registration stands', () => {
  const ollama = artifactKindRules('ollama-model');
  assert.throws(() => registerArtifactKind({ ...ollama, label: 'impostor' }), /ollama-model is registered twice/);
  assert.throws(() => registerArtifactKind(ollama), /ollama-model is registered twice/);
  assert.equal(artifactKindRules('ollama-model'), ollama);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filesArtifact } from '../files/artifact.js';
import { hfArtifactRef } from '../hf/artifact.js';
import { tempDir } from '../testing/cli.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { artifactRefProblem } from './artifact-ref.js';
// bundle/ knows the kinds only through their registration, as in every entry point.
import '../kinds.js';

test('refs as the exporters write them pass, for every kind', async () => {
  const dir = await tempDir('refs');
  try {
    await fs.writeFile(path.join(dir, 'Notes 1.txt'), 'x');
    const files = await filesArtifact(path.join(dir, 'Notes 1.txt'));
    const installer = await filesArtifact(path.join(dir, 'Notes 1.txt'), { installer: 'appimage' });
    const commit = 'a'.repeat(40);
    const ok: [Parameters<typeof artifactRefProblem>[0], string][] = [
      ['files', files.ref],
      ['files', installer.ref],
      ['hf-repo', hfArtifactRef({ type: 'model', repoId: 'acme/tiny', commit, ref: 'main' })],
      ['hf-repo', hfArtifactRef({ type: 'dataset', repoId: 'acme/set', commit, ref: 'refs/pr/1' })],
      ['hf-repo', hfArtifactRef({ type: 'space', repoId: 'acme/app', commit })],
      ['image', 'docker.io/library/nginx:1.27.3'],
      ['image', `ghcr.io/org/app@sha256:${'b'.repeat(64)}`],
      ['helm-chart', `registry.internal:5000/charts/web:1.2.0@sha256:${'c'.repeat(64)}`],
      ['ollama-model', 'registry.ollama.ai/library/granite4.1:8b'],
    ];
    for (const [kind, ref] of ok) assert.equal(artifactRefProblem(kind, ref), undefined, `${kind} ${ref}`);
    assert.match(artifactRefProblem('hf-repo', 'huggingface.co/acme/tiny:../x') ?? '', /not a Hugging Face repo reference/);
    assert.match(artifactRefProblem('files', 'ferry.local/files/Notes:latest') ?? '', /not a name Ferry gives a files artifact/);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

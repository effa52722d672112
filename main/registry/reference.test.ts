import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReference, parseReference, parseRegistryTarget, parseRelocationMap, relocate, relocateOllamaModel } from './reference.js';
import { sourceReference } from './source-ref.js';

test('references normalise as docker and helm read them', () => {
  assert.deepEqual(parseReference('nginx'), { registry: 'docker.io', repository: 'library/nginx', tag: 'latest' });
  assert.deepEqual(parseReference('docker.io/library/nginx:1.27.3'), { registry: 'docker.io', repository: 'library/nginx', tag: '1.27.3' });
  assert.deepEqual(parseReference('bitnami/redis:7'), { registry: 'docker.io', repository: 'bitnami/redis', tag: '7' });
  assert.deepEqual(parseReference('oci://ghcr.io/org/charts/app:1.2.0'), { registry: 'ghcr.io', repository: 'org/charts/app', tag: '1.2.0' });
  assert.deepEqual(parseReference('127.0.0.1:5000/demo'), { registry: '127.0.0.1:5000', repository: 'demo', tag: 'latest' });
  assert.deepEqual(parseReference('localhost/x/y'), { registry: 'localhost', repository: 'x/y', tag: 'latest' });
  const digest = `sha256:${'a'.repeat(64)}`;
  assert.deepEqual(parseReference(`quay.io/org/app@${digest}`), { registry: 'quay.io', repository: 'org/app', digest });
  assert.deepEqual(parseReference(`quay.io/org/app:v1@${digest}`), { registry: 'quay.io', repository: 'org/app', tag: 'v1', digest });
  assert.equal(formatReference(parseReference('nginx:1.27')), 'docker.io/library/nginx:1.27');
  assert.equal(formatReference(parseReference('registry.ollama.ai/library/granite4.1:8b')), 'registry.ollama.ai/library/granite4.1:8b');
});

test('bad references are usage errors that name the reference', () => {
  for (const bad of ['', 'Docker.io/Library/Nginx', 'nginx:', 'nginx@sha256:abc', 'ghcr.io/org//app', 'nginx:-bad']) {
    assert.throws(
      () => parseReference(bad),
      (err: Error & { code?: string }) => err.code === 'USAGE' && err.message.includes(`"${bad}"`),
      bad,
    );
  }
});

test('relocation keeps the source path under the prefix, with tag and digest unchanged', () => {
  const target = parseRegistryTarget('harbor.internal/airgap');
  assert.equal(formatReference(relocate(parseReference('docker.io/library/nginx:1.27.3'), target)), 'harbor.internal/airgap/library/nginx:1.27.3');
  assert.equal(formatReference(relocate(parseReference('ghcr.io/org/app:v1'), parseRegistryTarget('127.0.0.1:5000'))), '127.0.0.1:5000/org/app:v1');
  const map = parseRelocationMap('# comment\nghcr.io/org registry.lan/team\nghcr.io/org/special registry.lan/vip/special\n', 'map.txt');
  assert.equal(formatReference(relocate(parseReference('ghcr.io/org/app:v1'), target, map)), 'registry.lan/team/app:v1');
  assert.equal(formatReference(relocate(parseReference('ghcr.io/org/special:v2'), target, map)), 'registry.lan/vip/special:v2');
  assert.equal(
    formatReference(relocate(parseReference('ghcr.io/organisation/app:v1'), target, map)),
    'harbor.internal/airgap/organisation/app:v1',
    'a map entry matches whole path parts only',
  );
});

test('registry targets and mapping files refuse what they cannot use', () => {
  assert.deepEqual(parseRegistryTarget('https://harbor.internal:8443/air/gap/'), { registry: 'harbor.internal:8443', prefix: 'air/gap' });
  assert.throws(() => parseRegistryTarget('/airgap'), /not a registry/);
  assert.throws(() => parseRegistryTarget('harbor.internal/Air Gap'), /not a valid repository path/);
  assert.throws(() => parseRelocationMap('ghcr.io/org\n', 'm.txt'), /m\.txt, line 1/);
  assert.throws(() => parseRelocationMap('ok.io/a ok.io/b\nghcr.io/org:v1 x.io/y\n', 'm.txt'), /m\.txt, line 2: map repositories/);
});

test('Hugging Face refs become registry references: lowercase path, a tag a registry accepts', () => {
  const target = parseRegistryTarget('harbor.internal/airgap');
  assert.equal(
    formatReference(relocate(sourceReference('hf-repo', 'huggingface.co/BAAI/bge-small-en-v1.5:main'), target)),
    'harbor.internal/airgap/baai/bge-small-en-v1.5:main',
  );
  assert.equal(formatReference(sourceReference('hf-repo', 'huggingface.co/datasets/org/set:pr/1')), 'huggingface.co/datasets/org/set:pr-1');
  const commit = 'a'.repeat(40);
  assert.equal(sourceReference('hf-repo', `huggingface.co/org/m:${commit}`).tag, commit);
  assert.throws(() => sourceReference('hf-repo', 'no-slash:main'), /not HOST\/REPO:REVISION/);
  assert.equal(formatReference(sourceReference('files', 'ferry.local/files/runbooks:latest')), 'ferry.local/files/runbooks:latest');
});

test("Ollama models land at host/namespace/model:tag: the prefix's last part, or the source namespace, names the namespace", () => {
  const land = (ref: string, target: string, map = parseRelocationMap('', 'm.txt')) =>
    formatReference(relocateOllamaModel(sourceReference('ollama-model', ref), ref, parseRegistryTarget(target), map));
  assert.equal(land('registry.ollama.ai/library/granite4.1:8b', 'harbor.internal/airgap'), 'harbor.internal/airgap/granite4.1:8b');
  assert.equal(land('registry.ollama.ai/library/granite4.1:8b', 'harbor.internal/air/gap'), 'harbor.internal/gap/granite4.1:8b');
  assert.equal(land('registry.ollama.ai/library/granite4.1:8b', 'harbor.internal:8443'), 'harbor.internal:8443/library/granite4.1:8b');
  assert.equal(land('hf.co/Org/Model-GGUF:Q4_K_M', 'harbor.internal/airgap'), 'harbor.internal/airgap/model-gguf:Q4_K_M');
  assert.equal(land('hf.co/Org/Model-GGUF:Q4_K_M', 'harbor.internal'), 'harbor.internal/org/model-gguf:Q4_K_M');
  const map = parseRelocationMap(
    'hf.co/Org/Model-GGUF harbor.internal/llm/model\nregistry.ollama.ai/library harbor.internal/base\nregistry.ollama.ai/ibm harbor.internal/a/b\n',
    'm.txt',
  );
  assert.equal(land('hf.co/Org/Model-GGUF:Q4_K_M', 'harbor.internal/airgap', map), 'harbor.internal/llm/model:Q4_K_M', 'map sources match whatever their case');
  assert.equal(land('registry.ollama.ai/library/granite4.1:8b', 'harbor.internal/airgap', map), 'harbor.internal/base/granite4.1:8b');
  assert.throws(
    () => land('registry.ollama.ai/ibm/granite4.1:8b', 'harbor.internal/airgap', map),
    (err: Error & { code?: string }) =>
      err.code === 'USAGE' &&
      /would land at harbor\.internal\/a\/b\/granite4\.1:8b, which Ollama cannot pull: it has 3 parts after the host.*Change line 3 of m\.txt/.test(
        err.message,
      ),
  );
  assert.throws(
    () => land('registry.ollama.ai/library/granite4.1:8b', 'harbor.internal/air.gap'),
    (err: Error & { code?: string }) =>
      err.code === 'USAGE' &&
      /harbor\.internal\/air\.gap\/granite4\.1:8b, which Ollama cannot pull: the namespace "air\.gap" may only contain.*--map FILE \(a line "registry\.ollama\.ai\/library\/granite4\.1 harbor\.internal\/NAMESPACE\/MODEL"\)/.test(
        err.message,
      ),
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError } from '../util/errors.js';
import { looksLikeLfs } from './etag.js';
import { layerMediaType } from './modelpack.js';
import { parseHfSpec, parseRepoFolderName, relativePathProblem, repoFolderName } from './names.js';

test('parseHfSpec: type prefixes, refs with slashes, commits, repo ids without an org', () => {
  assert.deepEqual(parseHfSpec('acme/tiny'), { type: 'model', repoId: 'acme/tiny', revision: 'main' });
  assert.deepEqual(parseHfSpec('datasets/acme/set@v1.0'), { type: 'dataset', repoId: 'acme/set', revision: 'v1.0' });
  assert.deepEqual(parseHfSpec('spaces/acme/demo@refs/pr/3'), { type: 'space', repoId: 'acme/demo', revision: 'refs/pr/3' });
  assert.deepEqual(parseHfSpec(`gpt2@${'a'.repeat(40)}`), { type: 'model', repoId: 'gpt2', revision: 'a'.repeat(40) });
  assert.deepEqual(parseHfSpec('datasets/squad'), { type: 'dataset', repoId: 'squad', revision: 'main' });
  for (const bad of ['', 'a/b/c', 'acme/x--y', 'acme/a..b', '-acme/x', 'acme/x@', 'acme/x@../main', 'acme/x@/abs', 'acme/x@.hidden', 'a b/c']) {
    assert.throws(
      () => parseHfSpec(bad),
      (err: unknown) => err instanceof FerryError && err.code === 'USAGE',
      bad,
    );
  }
});

test('repo folder names round-trip, and non-repo folders are not repos', () => {
  assert.equal(repoFolderName('model', 'acme/tiny'), 'models--acme--tiny');
  assert.equal(repoFolderName('dataset', 'squad'), 'datasets--squad');
  assert.deepEqual(parseRepoFolderName('models--acme--tiny'), { type: 'model', repoId: 'acme/tiny' });
  assert.deepEqual(parseRepoFolderName('spaces--acme--demo.app'), { type: 'space', repoId: 'acme/demo.app' });
  assert.deepEqual(parseRepoFolderName('models--gpt2'), { type: 'model', repoId: 'gpt2' });
  for (const not of ['.locks', 'CACHEDIR.TAG', 'version.txt', 'kernels--acme--k', 'models--', 'models--a--b--c'])
    assert.equal(parseRepoFolderName(not), undefined, not);
});

test('relativePathProblem refuses anything that could leave the folder', () => {
  for (const ok of ['config.json', '1_Pooling/config.json', '.gitattributes', 'a/b/c.d', 'weird name (1).txt'])
    assert.equal(relativePathProblem(ok), undefined, ok);
  for (const bad of ['', '/etc/passwd', '../x', 'a/../../b', 'a/./b', 'a//b', 'a/', 'a\\b', 'C:/x', 'a/c:x', 'a\0b', '..'])
    assert.ok(relativePathProblem(bad), bad);
});

test('layer media types: weights, docs, and the rest', () => {
  const cases: Record<string, string> = {
    'model.safetensors': 'weight',
    'model-00001-of-00002.safetensors': 'weight',
    'pytorch_model.bin': 'weight',
    'q4/model.Q4_K_M.gguf': 'weight',
    'onnx/model.onnx': 'weight',
    'tf_model.h5': 'weight',
    'flax_model.msgpack': 'weight',
    'model.ckpt': 'weight',
    'README.md': 'doc',
    'docs/usage.md': 'doc',
    LICENSE: 'doc',
    'LICENSE.txt': 'doc',
    'notes.txt': 'doc',
    'vocab.txt': 'weight.config',
    'merges.txt': 'weight.config',
    'config.json': 'weight.config',
    'tokenizer.json': 'weight.config',
    'spiece.model': 'weight.config',
    'model.safetensors.index.json': 'weight.config',
  };
  for (const [file, kind] of Object.entries(cases)) assert.equal(layerMediaType(file), `application/vnd.cncf.model.${kind}.v1.raw`, file);
});

test('looksLikeLfs: large files and the hub default LFS patterns', () => {
  assert.equal(looksLikeLfs('config.json', 1000), false);
  assert.equal(looksLikeLfs('big.json', 10 * 1024 * 1024), true);
  assert.equal(looksLikeLfs('spiece.model', 500_000), true);
  assert.equal(looksLikeLfs('data/train.parquet', 10), true);
  assert.equal(looksLikeLfs('saved_model/variables/x.index', 10), true);
  assert.equal(looksLikeLfs('events.out.tfevents.123', 10), true);
  assert.equal(looksLikeLfs('README.md', 20_000), false);
});

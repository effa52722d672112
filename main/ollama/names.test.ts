import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FerryError } from '../util/errors.js';
import {
  fullRefProblem,
  manifestPathParts,
  ollamaDisplayName,
  ollamaFullRef,
  parseFullRef,
  parseOllamaName,
  parseOllamaNameAndDigest,
  sameOllamaName,
} from './names.js';

const HEX = 'ab'.repeat(32);

function throwsCode(fn: () => unknown, code: string, mentions?: string) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof FerryError, `expected FerryError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (mentions) assert.ok(err.message.includes(mentions), `"${err.message}" should mention ${mentions}`);
    return true;
  });
}

test('fills Ollama defaults', () => {
  assert.deepEqual(parseOllamaName('granite4.1'), { host: 'registry.ollama.ai', namespace: 'library', model: 'granite4.1', tag: 'latest' });
  assert.deepEqual(parseOllamaName('granite4.1:8b'), { host: 'registry.ollama.ai', namespace: 'library', model: 'granite4.1', tag: '8b' });
  assert.deepEqual(parseOllamaName('acme/tiny:1'), { host: 'registry.ollama.ai', namespace: 'acme', model: 'tiny', tag: '1' });
  assert.deepEqual(parseOllamaName('hf.co/bartowski/Llama-3.2-1B-GGUF:Q4_K_M'), {
    host: 'hf.co',
    namespace: 'bartowski',
    model: 'Llama-3.2-1B-GGUF',
    tag: 'Q4_K_M',
  });
});

test('hosts with ports, schemes and digest suffixes', () => {
  assert.deepEqual(parseOllamaName('localhost:5000/team/m'), { host: 'localhost:5000', namespace: 'team', model: 'm', tag: 'latest' });
  assert.deepEqual(parseOllamaName('https://10.0.0.1:8443/team/m:v2'), { host: '10.0.0.1:8443', namespace: 'team', model: 'm', tag: 'v2' });
  assert.deepEqual(parseOllamaName('http://reg.local/team/m:v2'), { host: 'reg.local', namespace: 'team', model: 'm', tag: 'v2' });
  const withDigest = parseOllamaNameAndDigest(`granite4.1:8b@sha256-${HEX}`);
  assert.deepEqual(withDigest, { name: parseOllamaName('granite4.1:8b'), digest: `sha256:${HEX}` });
  assert.equal(parseOllamaNameAndDigest(`m@sha256:${HEX}`).digest, `sha256:${HEX}`);
  assert.equal(parseOllamaNameAndDigest('m').digest, undefined);
});

test('display names and full refs', () => {
  assert.equal(ollamaDisplayName(parseOllamaName('granite4.1:8b')), 'granite4.1:8b');
  assert.equal(ollamaDisplayName(parseOllamaName('granite4.1')), 'granite4.1:latest');
  assert.equal(ollamaDisplayName(parseOllamaName('acme/tiny:1')), 'acme/tiny:1');
  assert.equal(ollamaDisplayName(parseOllamaName('reg.local:5000/library/m:1')), 'reg.local:5000/library/m:1');
  assert.equal(ollamaDisplayName(parseOllamaName('Registry.Ollama.AI/Library/m:1')), 'm:1');
  assert.equal(ollamaFullRef(parseOllamaName('granite4.1:8b')), 'registry.ollama.ai/library/granite4.1:8b');
  assert.deepEqual(manifestPathParts(parseOllamaName('acme/tiny:1')), ['registry.ollama.ai', 'acme', 'tiny', '1']);
});

test('rejects unsafe or malformed names with USAGE', () => {
  const bad: [string, string][] = [
    ['', 'empty'],
    ['..', '..'],
    ['../etc:passwd', '..'],
    ['a/../b', '..'],
    ['m:..', '..'],
    ['a/b/c/d', 'more than three'],
    ['/m', 'empty'],
    ['ns//m', 'empty'],
    ['m:', 'empty'],
    ['h/ns/', 'empty'],
    ['m\\x', 'only contain'],
    ['m:a\0b', 'only contain'],
    ['.', 'start'],
    ['m:.', 'start'],
    ['...', 'start'],
    ['ftp://m:1', 'needs a host'],
    ['https://ns/m', 'needs a host'],
    ['ns\\..\\m', '..'],
    ['-m', 'start'],
    ['.hidden', 'start'],
    ['m:tag with space', 'only contain'],
    ['m:t$g', 'only contain'],
    ['dotted.ns/m', 'only contain'],
    ['h@st/ns/m', '@'],
    ['m@sha256:1234', 'digest'],
    ['m'.repeat(81), 'longer than 80'],
    [`m:${'t'.repeat(81)}`, 'longer than 80'],
    [`${'n'.repeat(81)}/m`, 'longer than 80'],
    [`${'h'.repeat(351)}/ns/m`, 'longer than 350'],
  ];
  for (const [input, why] of bad) throwsCode(() => parseOllamaName(input), 'USAGE', why);
  throwsCode(() => parseOllamaName('m:t$g'), 'USAGE', '"m:t$g"');
});

test('manifestPathParts refuses a hand-built unsafe name', () => {
  throwsCode(() => manifestPathParts({ host: 'registry.ollama.ai', namespace: '..', model: 'm', tag: 'latest' }), 'INVALID_INPUT');
  throwsCode(() => manifestPathParts({ host: 'registry.ollama.ai', namespace: 'library', model: 'a/b', tag: 'latest' }), 'INVALID_INPUT');
});

test('parseFullRef accepts only host/namespace/model:tag', () => {
  assert.deepEqual(parseFullRef('registry.ollama.ai/library/granite4.1:8b'), parseOllamaName('granite4.1:8b'));
  assert.deepEqual(parseFullRef('reg.local:5000/team/m:v1'), { host: 'reg.local:5000', namespace: 'team', model: 'm', tag: 'v1' });
  for (const ref of [
    'granite4.1:8b',
    'library/granite4.1:8b',
    'registry.ollama.ai/library/granite4.1',
    'registry.ollama.ai/library/..:8b',
    'registry.ollama.ai/../granite:8b',
    '../library/granite:8b',
    'registry.ollama.ai/library/a/b:8b',
    'registry.ollama.ai/library/granite:..',
    'registry.ollama.ai/library/granite:a\\b',
    'registry.ollama.ai/lib\\rary/granite:8b',
    'https://registry.ollama.ai/library/granite:8b',
    `registry.ollama.ai/library/granite:8b@sha256:${HEX}`,
    '',
  ]) {
    throwsCode(() => parseFullRef(ref), 'INVALID_INPUT');
  }
});

test("Ollama's name rules: dots inside parts, lengths, ports, schemes, -partial tags", () => {
  // From the issue: ".." inside a part is valid in Ollama (types/model/name.go), a part of only dots is not.
  assert.deepEqual(parseOllamaName('qwen2..5'), { host: 'registry.ollama.ai', namespace: 'library', model: 'qwen2..5', tag: 'latest' });
  assert.equal(parseOllamaName('m:v1..2').tag, 'v1..2');
  assert.equal(parseOllamaName('a..b').model, 'a..b');
  assert.equal(fullRefProblem('registry.ollama.ai/library/qwen2..5:latest'), undefined);
  // "-partial" is a rule for blobs, not for manifests: a tag may say it.
  assert.equal(parseOllamaName('m:q4-partial-1').tag, 'q4-partial-1');
  assert.equal(parseOllamaName(`${'m'.repeat(80)}:${'t'.repeat(80)}`).model.length, 80);
  assert.equal(parseOllamaName(`${'h'.repeat(350)}/ns/m`).host.length, 350);
  assert.deepEqual(parseOllamaName('reg.local:5000/team/m'), { host: 'reg.local:5000', namespace: 'team', model: 'm', tag: 'latest' });
  assert.equal(parseOllamaName('_x/_y:_z').namespace, '_x');
  for (const ref of ['registry.ollama.ai/library/.:1', 'registry.ollama.ai/library/m:.', 'registry.ollama.ai/./m:1', 'registry.ollama.ai/library/m\u0000:1']) {
    assert.ok(fullRefProblem(ref), `${JSON.stringify(ref)} should be refused`);
  }
});

test('names match case-insensitively, as Ollama compares them', () => {
  assert.ok(sameOllamaName(parseOllamaName('Granite4.1:8B'), parseOllamaName('granite4.1:8b')));
  assert.ok(sameOllamaName(parseOllamaName('Registry.Ollama.AI/Library/Granite4.1:8B'), parseOllamaName('granite4.1:8b')));
  assert.ok(!sameOllamaName(parseOllamaName('granite4.1:8b'), parseOllamaName('granite4.1:2b')));
});

/** Synthetic Hugging Face caches on disk, for tests: real files laid out as huggingface_hub writes them. */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** 'symlinks': snapshots link into blobs/ (Linux, macOS). 'copies': real files in snapshots/ (Windows without symlinks). */
export type HfFixtureStyle = 'symlinks' | 'copies';
export type HfFixtureType = 'model' | 'dataset' | 'space';

export interface HfFixtureFileSpec {
  path: string;
  bytes: Buffer;
  /** Stored in LFS on the hub (etag = sha256) rather than git (etag = git blob sha1). */
  lfs: boolean;
  /** 'copies' style: also leave the blob in blobs/ (huggingface_hub does when the blob was already cached). */
  keepBlob?: boolean;
}

export interface HfFixtureFile {
  path: string;
  size: number;
  etag: string;
  /** sha256 hex of the bytes. */
  sha256: string;
}

export interface HfFixtureRevision {
  commit: string;
  files: HfFixtureFile[];
}

export interface HfFixtureRepo {
  type: HfFixtureType;
  repoId: string;
  dir: string;
  /** Ref name as huggingface_hub names it (path under refs/) → commit. */
  refs: Record<string, string>;
}

export interface HfFixtureCache {
  cache: string;
  style: HfFixtureStyle;
  model: HfFixtureRepo & { main: HfFixtureRevision; pr: HfFixtureRevision; old: HfFixtureRevision };
  dataset: HfFixtureRepo & { main: HfFixtureRevision };
  space: HfFixtureRepo & { main: HfFixtureRevision };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The git blob id: sha1 of `blob <size>\0` then the bytes. */
export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** A stable fake commit id for a label. */
export function fixtureCommit(label: string): string {
  return createHash('sha1').update(`commit ${label}`).digest('hex');
}

/** Deterministic pseudo-random bytes (sha256 in counter mode). */
export function pseudoRandomBytes(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0, at = 0; at < size; i++, at += 32) createHash('sha256').update(seed).update(String(i)).digest().copy(out, at);
  return out;
}

export function etagOf(spec: Pick<HfFixtureFileSpec, 'bytes' | 'lfs'>): string {
  return spec.lfs ? sha256Hex(spec.bytes) : gitBlobSha1(spec.bytes);
}

export function repoDirOf(cache: string, type: HfFixtureType, repoId: string): string {
  return path.join(cache, [`${type}s`, ...repoId.split('/')].join('--'));
}

/**
 * Writes one revision the way huggingface_hub's downloads leave it: blobs/<etag>, then
 * snapshots/<commit>/<path> as a relative link (`../../blobs/<etag>`, one more `../` per
 * subfolder) or, in 'copies' style, as the file itself; then refs/<ref> = commit, no newline.
 */
export async function writeHfRevision(
  cache: string,
  repo: { type: HfFixtureType; repoId: string; commit: string; refs?: string[]; files: HfFixtureFileSpec[] },
  style: HfFixtureStyle = 'symlinks',
): Promise<HfFixtureRevision> {
  const dir = repoDirOf(cache, repo.type, repo.repoId);
  await fs.mkdir(path.join(dir, 'blobs'), { recursive: true });
  const files: HfFixtureFile[] = [];
  for (const spec of repo.files) {
    const etag = etagOf(spec);
    const target = path.join(dir, 'snapshots', repo.commit, ...spec.path.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (style === 'symlinks') {
      await fs.writeFile(path.join(dir, 'blobs', etag), spec.bytes);
      await fs.symlink(path.relative(path.dirname(target), path.join(dir, 'blobs', etag)), target);
    } else {
      await fs.writeFile(target, spec.bytes);
      if (spec.keepBlob) await fs.writeFile(path.join(dir, 'blobs', etag), spec.bytes);
    }
    files.push({ path: spec.path, size: spec.bytes.length, etag, sha256: sha256Hex(spec.bytes) });
  }
  for (const ref of repo.refs ?? []) {
    const file = path.join(dir, 'refs', ...ref.split('/'));
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, repo.commit);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { commit: repo.commit, files };
}

const text = (s: string) => Buffer.from(s, 'utf8');
const GITATTRIBUTES = text(
  '*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.parquet filter=lfs diff=lfs merge=lfs -text\n*.dat filter=lfs diff=lfs merge=lfs -text\n',
);

/**
 * A cache holding:
 * - model acme/tiny-embed: refs/main → main, refs/refs/pr/1 → pr (huggingface_hub stores the ref
 *   `refs/pr/1` there), and an older commit no ref names; an LFS weight of a few MB shared by main
 *   and pr, git-sha1 small files (config.json, tokenizer.json, README.md, nested 1_Pooling/config.json);
 *   plus what must be skipped: a `.incomplete` download, `.locks/`, `.no_exist/`;
 * - dataset acme/tiny-set and space acme/demo, each with refs/main.
 */
export async function makeHfCache(cache: string, opts: { style?: HfFixtureStyle; weightBytes?: number } = {}): Promise<HfFixtureCache> {
  const style = opts.style ?? 'symlinks';
  const weights = pseudoRandomBytes('tiny-embed weights', opts.weightBytes ?? 3 * 1024 * 1024 + 4321);
  const common: HfFixtureFileSpec[] = [
    { path: '.gitattributes', bytes: GITATTRIBUTES, lfs: false },
    { path: 'README.md', bytes: text('---\nlicense: apache-2.0\n---\n# tiny-embed\n\nA sentence embedding model for tests.\n'), lfs: false },
    { path: 'model.safetensors', bytes: weights, lfs: true },
    {
      path: 'tokenizer.json',
      bytes: text(JSON.stringify({ version: '1.0', model: { type: 'WordPiece', vocab: { '[PAD]': 0, '[UNK]': 1, hello: 2 } } })),
      lfs: false,
    },
    { path: 'vocab.txt', bytes: text('[PAD]\n[UNK]\nhello\n'), lfs: false },
    { path: '1_Pooling/config.json', bytes: text('{"word_embedding_dimension": 64, "pooling_mode_mean_tokens": true}\n'), lfs: false },
    { path: 'extra/notes.dat', bytes: pseudoRandomBytes('notes', 1500), lfs: true, keepBlob: true },
    { path: 'LICENSE', bytes: text('Apache License 2.0 (abridged for tests)\n'), lfs: false },
  ];
  const modelId = 'acme/tiny-embed';
  const commits = { main: fixtureCommit('tiny-embed main'), pr: fixtureCommit('tiny-embed pr 1'), old: fixtureCommit('tiny-embed old') };
  const main = await writeHfRevision(
    cache,
    {
      type: 'model',
      repoId: modelId,
      commit: commits.main,
      refs: ['main'],
      files: [...common, { path: 'config.json', bytes: text('{"hidden_size": 64, "model_type": "bert"}\n'), lfs: false }],
    },
    style,
  );
  const pr = await writeHfRevision(
    cache,
    {
      type: 'model',
      repoId: modelId,
      commit: commits.pr,
      refs: ['refs/pr/1'],
      files: [...common, { path: 'config.json', bytes: text('{"hidden_size": 64, "model_type": "bert", "pr": 1}\n'), lfs: false }],
    },
    style,
  );
  const old = await writeHfRevision(
    cache,
    {
      type: 'model',
      repoId: modelId,
      commit: commits.old,
      files: [
        { path: 'README.md', bytes: text('# tiny-embed (old)\n'), lfs: false },
        { path: 'config.json', bytes: text('{"hidden_size": 32}\n'), lfs: false },
        { path: 'model.safetensors', bytes: pseudoRandomBytes('tiny-embed old weights', 64 * 1024), lfs: true },
      ],
    },
    style,
  );
  const modelDir = repoDirOf(cache, 'model', modelId);
  // What huggingface_hub leaves around that is not content.
  await fs.writeFile(path.join(modelDir, 'blobs', `${sha256Hex(text('half'))}.incomplete`), text('half a download'));
  await fs.mkdir(path.join(modelDir, '.no_exist', commits.main), { recursive: true });
  await fs.writeFile(path.join(modelDir, '.no_exist', commits.main, 'generation_config.json'), '');
  await fs.mkdir(path.join(cache, '.locks', 'models--acme--tiny-embed'), { recursive: true });
  await fs.writeFile(path.join(cache, '.locks', 'models--acme--tiny-embed', `${main.files[0]!.etag}.lock`), '');

  const dataset = await writeHfRevision(
    cache,
    {
      type: 'dataset',
      repoId: 'acme/tiny-set',
      commit: fixtureCommit('tiny-set main'),
      refs: ['main'],
      files: [
        { path: 'README.md', bytes: text('---\nlicense: cc-by-4.0\n---\n# tiny-set\n'), lfs: false },
        { path: 'data/train-00000-of-00001.parquet', bytes: pseudoRandomBytes('tiny-set train', 100 * 1024), lfs: true },
      ],
    },
    style,
  );
  const space = await writeHfRevision(
    cache,
    {
      type: 'space',
      repoId: 'acme/demo',
      commit: fixtureCommit('demo main'),
      refs: ['main'],
      files: [
        { path: 'README.md', bytes: text('---\nsdk: gradio\n---\n# demo\n'), lfs: false },
        { path: 'app.py', bytes: text('import gradio as gr\n'), lfs: false },
        { path: 'requirements.txt', bytes: text('gradio\n'), lfs: false },
      ],
    },
    style,
  );

  return {
    cache,
    style,
    model: { type: 'model', repoId: modelId, dir: modelDir, refs: { main: commits.main, 'refs/pr/1': commits.pr }, main, pr, old },
    dataset: { type: 'dataset', repoId: 'acme/tiny-set', dir: repoDirOf(cache, 'dataset', 'acme/tiny-set'), refs: { main: dataset.commit }, main: dataset },
    space: { type: 'space', repoId: 'acme/demo', dir: repoDirOf(cache, 'space', 'acme/demo'), refs: { main: space.commit }, main: space },
  };
}

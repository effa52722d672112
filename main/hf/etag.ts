import fs from 'node:fs/promises';
import { hashFile } from '../util/hash-file.js';

export { BlobHasher } from '../util/hash-file.js';

/**
 * A Hugging Face etag names a blob: the sha256 of the bytes for LFS files (64 hex), the git blob
 * sha1 for files kept in git (40 hex).
 */
export type EtagKind = 'sha256' | 'git-sha1';

export function etagKind(etag: string): EtagKind | undefined {
  if (/^[0-9a-f]{64}$/.test(etag)) return 'sha256';
  if (/^[0-9a-f]{40}$/.test(etag)) return 'git-sha1';
  return undefined;
}

export interface FileHashes {
  size: number;
  sha256: string;
  gitSha1?: string;
}

/**
 * Hashes a file of a Hugging Face cache for its etag: sha256 and, by default, its git blob sha1;
 * a file that changes size while read is refused. Constant memory whatever its size.
 */
export async function hashHfFile(file: string, opts: { gitSha1?: boolean; signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<FileHashes> {
  const { size } = await fs.stat(file);
  const { bytesRead, ...hashes } = await hashFile(file, { gitSha1Size: (opts.gitSha1 ?? true) ? size : undefined, signal: opts.signal, onBytes: opts.onBytes });
  if (bytesRead !== size)
    throw Object.assign(new Error(`${file} changed size while it was read (${size} then ${bytesRead} bytes)`), { code: 'ESIZE', path: file });
  return { size, ...hashes };
}

/** Git refuses blobs over 10 MiB on huggingface.co: anything that large was uploaded through LFS. */
export const HF_GIT_FILE_LIMIT = 10 * 1024 * 1024;

// The patterns of the .gitattributes huggingface.co gives new repos (model and dataset templates):
// files matching them are stored in LFS whatever their size.
const LFS_NAME = new RegExp(
  '\\.(' +
    [
      '7z',
      'arrow',
      'bin',
      'bz2',
      'ckpt',
      'ftz',
      'gguf',
      'gz',
      'h5',
      'joblib',
      'mlmodel',
      'model',
      'msgpack',
      'npy',
      'npz',
      'onnx',
      'ot',
      'parquet',
      'pb',
      'pickle',
      'pkl',
      'pt',
      'pth',
      'rar',
      'safetensors',
      'tar',
      'tflite',
      'tgz',
      'wasm',
      'xz',
      'zip',
      'zst',
      'mds',
      'lz4',
      'mp3',
      'ogg',
      'wav',
      'flac',
      'jpg',
      'jpeg',
      'png',
      'webp',
      'gif',
      'mp4',
      'webm',
    ].join('|') +
    ')$|\\.lfs\\.|\\.tar\\.|tfevents|(^|/)saved_model/',
  'i',
);

/** Whether huggingface.co most likely keeps this file in LFS (so its etag is a sha256). */
export function looksLikeLfs(filePath: string, size: number): boolean {
  return size >= HF_GIT_FILE_LIMIT || LFS_NAME.test(filePath);
}

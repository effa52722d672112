import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';

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

/** Hashes bytes once for both names a blob can have: its sha256 and its git blob sha1. */
export class BlobHasher {
  private readonly sha256 = createHash('sha256');
  private readonly gitSha1: Hash | undefined;

  /** `size` is needed up front: git hashes `blob <size>\0` before the bytes. */
  constructor(size: number, withGitSha1 = true) {
    this.gitSha1 = withGitSha1 ? createHash('sha1').update(`blob ${size}\0`) : undefined;
  }

  update(chunk: Uint8Array): void {
    this.sha256.update(chunk);
    this.gitSha1?.update(chunk);
  }

  digest(): { sha256: string; gitSha1?: string } {
    const sha256 = this.sha256.digest('hex');
    return this.gitSha1 ? { sha256, gitSha1: this.gitSha1.digest('hex') } : { sha256 };
  }
}

export interface FileHashes {
  size: number;
  sha256: string;
  gitSha1?: string;
}

/** Streams `file` through a BlobHasher; constant memory whatever its size. */
export async function hashFile(file: string, opts: { gitSha1?: boolean; signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<FileHashes> {
  const { size } = await fs.stat(file);
  const hasher = new BlobHasher(size, opts.gitSha1 ?? true);
  let read = 0;
  await pipeline(
    createReadStream(file),
    async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        read += chunk.length;
        hasher.update(chunk);
        opts.onBytes?.(chunk.length);
      }
    },
    opts.signal ? { signal: opts.signal } : {},
  );
  if (read !== size) throw Object.assign(new Error(`${file} changed size while it was read (${size} then ${read} bytes)`), { code: 'ESIZE', path: file });
  return { size, ...hasher.digest() };
}

/** Git refuses blobs over 10 MiB on huggingface.co: anything that large was uploaded through LFS. */
export const HF_GIT_FILE_LIMIT = 10 * 1024 * 1024;

// The patterns of the .gitattributes huggingface.co gives new repos (model and dataset templates):
// files matching them are stored in LFS whatever their size.
const LFS_NAME = new RegExp(
  '\\.(' +
    [
      '7z', 'arrow', 'bin', 'bz2', 'ckpt', 'ftz', 'gguf', 'gz', 'h5', 'joblib', 'mlmodel', 'model', 'msgpack', 'npy', 'npz', 'onnx',
      'ot', 'parquet', 'pb', 'pickle', 'pkl', 'pt', 'pth', 'rar', 'safetensors', 'tar', 'tflite', 'tgz', 'wasm', 'xz', 'zip', 'zst',
      'mds', 'lz4', 'mp3', 'ogg', 'wav', 'flac', 'jpg', 'jpeg', 'png', 'webp', 'gif', 'mp4', 'webm',
    ].join('|') +
    ')$|\\.lfs\\.|\\.tar\\.|tfevents|(^|/)saved_model/',
  'i',
);

/** Whether huggingface.co most likely keeps this file in LFS (so its etag is a sha256). */
export function looksLikeLfs(filePath: string, size: number): boolean {
  return size >= HF_GIT_FILE_LIMIT || LFS_NAME.test(filePath);
}

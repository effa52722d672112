import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

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

export interface HashFileOptions {
  /** Also the git blob sha1, for a file of this many bytes (git hashes `blob <size>\0` before the bytes). */
  gitSha1Size?: number | undefined;
  /** Stops the read; the returned promise then rejects with the signal's AbortError. */
  signal?: AbortSignal | undefined;
  /** Bytes hashed since the last call, as each chunk is read. */
  onBytes?: ((n: number) => void) | undefined;
}

export interface FileHashes {
  /** Bytes read: callers that know the size compare it, so a file that changed while read is caught. */
  bytesRead: number;
  /** Hex, without the `sha256:` prefix. */
  sha256: string;
  /** Hex; only when `gitSha1Size` was given. */
  gitSha1?: string;
}

/** Streams `file` once through sha256 (and the git blob sha1 if asked); constant memory whatever its size. */
export async function hashFile(file: string, opts: HashFileOptions = {}): Promise<FileHashes> {
  const hasher = new BlobHasher(opts.gitSha1Size ?? 0, opts.gitSha1Size !== undefined);
  let bytesRead = 0;
  await pipeline(
    createReadStream(file),
    async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        bytesRead += chunk.length;
        hasher.update(chunk);
        opts.onBytes?.(chunk.length);
      }
    },
    { signal: opts.signal },
  );
  return { bytesRead, ...hasher.digest() };
}

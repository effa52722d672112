import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { siblingName } from '../util/atomic.js';
import { etagKind, hashHfFile } from './etag.js';

/** What a blob's bytes must be: its OCI digest, its Hugging Face etag and its size. */
export interface BlobExpectation {
  digest: string;
  etag: string;
  size: number;
  /** Names the blob in errors, e.g. `model.safetensors of acme/tiny`. */
  what: string;
}

export interface IoOptions {
  signal?: AbortSignal;
  onBytes?: (n: number) => void;
}

/**
 * A sibling temp name ending in `.incomplete`, the suffix huggingface_hub gives downloads in
 * progress: its tools (and Ferry's cache reader) never mistake it for a finished file.
 */
export function incompletePathFor(target: string): string {
  return path.join(path.dirname(target), siblingName('', path.basename(target), `.${randomBytes(4).toString('hex')}.incomplete`));
}

function matches(expect: BlobExpectation, hashes: { size: number; sha256: string; gitSha1?: string }): string | undefined {
  if (hashes.size !== expect.size) return `is ${hashes.size} bytes, not the declared ${expect.size}`;
  if (`sha256:${hashes.sha256}` !== expect.digest) return `does not match its digest ${expect.digest} (the bytes hash to sha256:${hashes.sha256})`;
  if (etagKind(expect.etag) === 'git-sha1' && hashes.gitSha1 !== expect.etag)
    return `does not match its etag ${expect.etag} (the bytes' git sha1 is ${hashes.gitSha1})`;
  return undefined;
}

/** True when `file` is a regular file (links followed) holding exactly the expected bytes. */
export async function holdsBlob(file: string, expect: BlobExpectation, io: IoOptions = {}): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile() || stat.size !== expect.size) return false;
  const hashes = await hashHfFile(file, { gitSha1: etagKind(expect.etag) === 'git-sha1', ...io });
  return matches(expect, hashes) === undefined;
}

/** Copies a verified file to `target` through a temp file and a rename (reflinked where the file system can). */
export async function copyInto(source: string, target: string): Promise<void> {
  const temp = incompletePathFor(target);
  try {
    await fs.copyFile(source, temp, fs.constants.COPYFILE_FICLONE);
    const handle = await fs.open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

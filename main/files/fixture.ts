import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { ArtifactInput } from '../bundle/plan.js';
import { FerryError } from '../util/errors.js';
import { SourceStore } from '../content/source-store.js';

const tempDirs: string[] = [];
after(async () => {
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

export async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-files-'));
  tempDirs.push(dir);
  return dir;
}

/** The blobs an importer would hand restoreFiles, read straight from the export's sources. */
export function blobsOf(artifact: ArtifactInput): SourceStore {
  return new SourceStore(artifact.blobs);
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Every entry under `dir` (files, folders, links, hidden temp files too), relative with `/`, sorted. */
export async function entriesUnder(dir: string): Promise<string[]> {
  const exists = await fs.stat(dir).then(
    () => true,
    () => false,
  );
  if (!exists) return [];
  // Not readdir's recursive mode: it descends into linked folders, and links must show as links here.
  const found: string[] = [];
  const walk = async (rel: string) => {
    for (const entry of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      found.push(child);
      if (entry.isDirectory()) await walk(child);
    }
  };
  await walk('');
  return found.sort();
}

/** sha256 of every regular file under `dir`, by relative path. */
export async function hashTree(dir: string): Promise<Map<string, string>> {
  const tree = new Map<string, string>();
  for (const rel of await entriesUnder(dir)) {
    const full = path.join(dir, ...rel.split('/'));
    const stat = await fs.lstat(full);
    if (stat.isFile()) tree.set(rel, sha256(await fs.readFile(full)));
  }
  return tree;
}

export async function rejectsWith(promise: Promise<unknown>, code: string, ...mentions: string[]): Promise<FerryError> {
  let caught: FerryError | undefined;
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof FerryError, `expected FerryError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const m of mentions) assert.ok(err.message.includes(m), `"${err.message}" should mention ${m}`);
    caught = err;
    return true;
  });
  return caught!;
}

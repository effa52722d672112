import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { installBlobsOf, makeOllamaStore } from '../testing/ollama-fixture.js';
import { storeOf, type ServedBlob } from '../testing/blob-store.js';
import { installModel } from './install.js';
import { listModels } from './store.js';

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-ollama-owner-'));
  tempDirs.push(dir);
  return dir;
}
after(async () => {
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

async function installAll(source: string, target: string, wrap: (s: ServedBlob) => ServedBlob = (s) => s): Promise<void> {
  for (const model of (await listModels(source)).models) {
    await installModel(target, { ref: model.ref, manifestBytes: model.manifestBytes, blobs: storeOf(installBlobsOf(model).map(wrap)) });
  }
}

/** Every folder and file under `dir` (not `dir` itself), relative, with owner and permission bits. */
async function walk(dir: string): Promise<{ entry: string; uid: number; gid: number; mode: number; isDir: boolean }[]> {
  const entries = await fs.readdir(dir, { recursive: true });
  const out = [];
  for (const entry of entries.sort()) {
    const stat = await fs.lstat(path.join(dir, entry));
    out.push({ entry, uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o7777, isDir: stat.isDirectory() });
  }
  return out;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

test("as root into a store another user owns: everything Ferry creates is that user's, with Ollama's modes", { skip: !isRoot && 'needs root' }, async () => {
  const source = await tempDir();
  await makeOllamaStore(source, [{ name: 'granite4.1:8b', license: 'L' }, { name: 'acme/tiny:1' }]);
  const parent = await tempDir();
  const store = path.join(parent, 'models');
  await fs.mkdir(store);
  await fs.chown(store, 4242, 4242);
  // A tight umask, as on a hardened host: the modes must still be Ollama's, not the umask's.
  const umask = process.umask(0o077);
  try {
    await installAll(source, store);
  } finally {
    process.umask(umask);
  }
  const entries = await walk(store);
  assert.ok(
    entries.some((e) => e.entry.startsWith('manifests/registry.ollama.ai/acme/tiny/')),
    entries.map((e) => e.entry).join(', '),
  );
  for (const e of entries) {
    assert.deepEqual([e.entry, e.uid, e.gid, e.mode.toString(8)], [e.entry, 4242, 4242, e.isDir ? '755' : '644']);
  }
});

test(
  'as root into a store that does not exist yet: it and its folders go to the owner of the folder it is made in',
  { skip: !isRoot && 'needs root' },
  async () => {
    const source = await tempDir();
    await makeOllamaStore(source, [{ name: 'm:1' }]);
    const home = await tempDir();
    await fs.chown(home, 4242, 4243);
    const store = path.join(home, '.ollama', 'models');
    await installAll(source, store);
    for (const e of await walk(home)) assert.deepEqual([e.entry, e.uid, e.gid], [e.entry, 4242, 4243]);
  },
);

test('a store the process owns itself: owners are left as they are', async () => {
  const source = await tempDir();
  await makeOllamaStore(source, [{ name: 'm:1' }]);
  const store = path.join(await tempDir(), 'models');
  await installAll(source, store);
  for (const e of await walk(store)) assert.deepEqual([e.entry, e.uid, e.gid], [e.entry, process.getuid!(), process.getgid!()]);
});

test('while a blob streams, blobs/ holds only digests: nothing Ollama would read as its partial or prune', async () => {
  const source = await tempDir();
  await makeOllamaStore(source, [{ name: 'm:1', modelBytes: 512 * 1024 }]);
  const store = path.join(await tempDir(), 'models');
  const seen: string[][] = [];
  const watching = (s: ServedBlob): ServedBlob => ({
    ...s,
    open: async () => {
      const inner = await s.open();
      return Readable.from(
        (async function* () {
          for await (const chunk of inner) yield chunk;
          seen.push(
            readdirSync(path.join(store, 'blobs'), { withFileTypes: true })
              .filter((d) => d.isFile())
              .map((d) => d.name),
          );
        })(),
      );
    },
  });
  await installAll(source, store, watching);
  assert.ok(seen.length >= 2);
  for (const names of seen) for (const name of names) assert.match(name, /^sha256-[0-9a-f]{64}$/);
});

test("an install sweeps Ferry's own stale temporaries first, and never Ollama's", async () => {
  const source = await tempDir();
  await makeOllamaStore(source, [{ name: 'm:1' }]);
  const store = path.join(await tempDir(), 'models');
  const blobs = path.join(store, 'blobs');
  const staging = path.join(blobs, '.ferry-staging');
  const manifestDir = path.join(store, 'manifests', 'registry.ollama.ai', 'library', 'm');
  await fs.mkdir(staging, { recursive: true });
  await fs.mkdir(manifestDir, { recursive: true });
  const hex = 'c'.repeat(64);
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
  const host = os.hostname().replace(/[^A-Za-z0-9.-]/g, '_');
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  const files = {
    killed: path.join(staging, `ferry-${deadPid}-${'a'.repeat(12)}-${host}`),
    otherHostFresh: path.join(staging, `ferry-${deadPid}-${'b'.repeat(12)}-elsewhere.example`),
    legacy: path.join(blobs, `sha256-${hex}-partial-ferry-${'d'.repeat(12)}`),
    manifestTemp: path.join(manifestDir, '.1.ferry-0123abcd.partial'),
    ollamaPartial: path.join(blobs, `sha256-${hex}-partial`),
    ollamaPart: path.join(blobs, `sha256-${hex}-partial-0`),
    ollamaTemp: path.join(blobs, 'sha256-1234567890'),
  };
  for (const file of Object.values(files)) await fs.writeFile(file, 'x');
  for (const file of [files.legacy, files.manifestTemp, files.ollamaPartial, files.ollamaPart, files.ollamaTemp]) await fs.utimes(file, hourAgo, hourAgo);
  await installAll(source, store);
  const exists = async (f: string) => (await fs.stat(f).catch(() => undefined)) !== undefined;
  const left = Object.fromEntries(await Promise.all(Object.entries(files).map(async ([k, f]) => [k, await exists(f)])));
  assert.deepEqual(left, { killed: false, otherHostFresh: true, legacy: false, manifestTemp: false, ollamaPartial: true, ollamaPart: true, ollamaTemp: true });
});

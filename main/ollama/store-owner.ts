import fs from 'node:fs/promises';
import path from 'node:path';

/** Who Ferry's new files in an Ollama store must belong to, when that is not the process itself. */
export interface StoreOwner {
  uid: number;
  gid: number;
}

// Ollama's own modes: folders 0o755 (manifest/paths.go MkdirAll), blobs chmod'ed 0o644 (manifest/layer.go), manifests os.Create'd.
export const OLLAMA_DIR_MODE = 0o755;
export const OLLAMA_FILE_MODE = 0o644;

/**
 * The owner of the store folder (or, when it does not exist yet, of its nearest existing parent)
 * when Ferry runs as root and that owner is someone else, the usual `ollama` service user on a PVC
 * or NFS share: files root left there would stop that user pulling or removing models. Undefined
 * otherwise, and nothing changes hands.
 */
export async function foreignStoreOwner(storeDir: string): Promise<StoreOwner | undefined> {
  if (typeof process.getuid !== 'function' || typeof process.getgid !== 'function' || process.getuid() !== 0) return undefined;
  let dir = path.resolve(storeDir);
  for (;;) {
    const stat = await fs.stat(dir).catch(() => undefined);
    if (stat) return stat.uid === process.getuid() && stat.gid === process.getgid() ? undefined : { uid: stat.uid, gid: stat.gid };
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Gives a file or folder Ferry created to the store's owner, with Ollama's mode for it. */
export async function giveToOwner(file: string, owner: StoreOwner | undefined, mode: number): Promise<void> {
  if (!owner) return;
  await fs.chown(file, owner.uid, owner.gid);
  await fs.chmod(file, mode);
}

/** mkdir -p with Ollama's folder mode; every folder it creates goes to the store's owner. */
export async function makeDirs(dir: string, owner: StoreOwner | undefined): Promise<string | undefined> {
  const first = await fs.mkdir(dir, { recursive: true, mode: OLLAMA_DIR_MODE });
  if (!owner || first === undefined) return first;
  const created = [dir];
  for (let d = dir; d !== first && path.dirname(d) !== d;) created.unshift((d = path.dirname(d)));
  for (const d of created) await giveToOwner(d, owner, OLLAMA_DIR_MODE);
  return first;
}

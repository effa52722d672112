import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** The most bytes one name in a folder may have on the file systems Ferry writes to. */
export const NAME_MAX_BYTES = 255;

/**
 * `prefix + name + suffix`, with `name` shortened (on a character boundary) so the whole stays
 * within NAME_MAX_BYTES: a temp name must fit wherever its final name fits.
 */
export function siblingName(prefix: string, name: string, suffix: string): string {
  const room = NAME_MAX_BYTES - Buffer.byteLength(prefix + suffix);
  let kept = '';
  let bytes = 0;
  for (const char of name) {
    bytes += Buffer.byteLength(char);
    if (bytes > room) break;
    kept += char;
  }
  return `${prefix}${kept}${suffix}`;
}

/** A sibling name for writing `file` before it is renamed into place; never mistaken for the real file. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), siblingName('.', path.basename(file), `.ferry-${randomBytes(4).toString('hex')}.partial`));
}

/** fsync a directory so a rename inside it survives a power cut (a no-op where the OS refuses). */
export async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some network file systems cannot fsync a directory.
  } finally {
    await handle?.close();
  }
}

/**
 * Write to a temp file, fsync, rename over `file`: readers see the old content or the new, never half.
 * With `owner`, the file is given to that user with exactly `mode` before it appears.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o644, owner?: { uid: number; gid: number }): Promise<void> {
  const tmp = tempPathFor(file);
  const handle = await fs.open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    if (owner) {
      await handle.chown(owner.uid, owner.gid);
      await handle.chmod(mode);
    }
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(path.dirname(file));
}

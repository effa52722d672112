import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Every path under `dir` (folders end in /, links show their target) with each file's sha256: a
 * byte-exact picture of a tree, to compare before and after. A missing folder is an empty map.
 */
export async function treeSnapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(rel: string): Promise<void> {
    const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' && rel === '') return [];
      throw err;
    });
    for (const entry of entries) {
      const child = path.join(rel, entry.name);
      const full = path.join(dir, child);
      if (entry.isDirectory()) {
        out.set(`${child}/`, 'dir');
        await walk(child);
      } else if (entry.isFile())
        out.set(
          child,
          createHash('sha256')
            .update(await fs.readFile(full))
            .digest('hex'),
        );
      else if (entry.isSymbolicLink()) out.set(child, `link to ${await fs.readlink(full)}`);
      else out.set(child, 'not a regular file');
    }
  }
  await walk('');
  return out;
}

import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The folders an install created, so a refused or stopped one leaves none behind: each is
 * removed again on `removeEmpty` if it is still empty (someone else's file in it keeps it).
 */
export class FoldersMade {
  private readonly made: { deepest: string; top: string }[] = [];

  /** Makes `dir` and its missing parents with `mkdir` (which returns the first folder it created, as fs.mkdir's recursive mode does). */
  async make(dir: string, mkdir: (dir: string) => Promise<string | undefined> = (d) => fs.mkdir(d, { recursive: true, mode: 0o755 })): Promise<void> {
    const top = await mkdir(dir);
    if (top !== undefined) this.made.push({ deepest: dir, top });
  }

  async removeEmpty(): Promise<void> {
    for (const { deepest, top } of this.made.splice(0).reverse()) {
      for (let d = deepest; ; d = path.dirname(d)) {
        const removed = await fs.rmdir(d).then(
          () => true,
          () => false,
        );
        if (!removed || d === top || path.dirname(d) === d) break;
      }
    }
  }
}

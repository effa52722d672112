import type { LinkedOut } from './inside-folder.js';

/** A file an install will create or replace in a target folder, known before anything is written. */
export interface PlannedFile {
  /** Where it lands, links inside the target followed. */
  path: string;
  /** Compared instead of `path` when two names are one place to the target's readers (Ollama ignores case). */
  key?: string;
  /**
   * What it will hold, as a comparable name: a blob digest, `commit <hex>` for a ref. Two
   * artifacts may plan one path only with the same content.
   */
  content: string;
  /** Bytes written anew: 0 when the right content is already there, or for a symbolic link. */
  newBytes: number;
}

/** All an artifact's install will write into its target, and the links out of it that it may use. */
export interface TargetPlan {
  files: PlannedFile[];
  /** Folders that are symbolic links leading out of the target on purpose (an Ollama store's blobs/). */
  linkedOut: LinkedOut[];
}

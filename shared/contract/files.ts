/** Choosing paths: the desktop app's native dialogs and the browser host's folder browser. */
import { z } from 'zod';
import { FolderName, Path } from './common.js';
import type { MethodTable } from './method-table.js';

export const FolderEntry = z.object({
  name: z.string(),
  path: z.string(),
  /** The folder holds SHA256SUMS and BUNDLE.json: a Ferry bundle. */
  isBundle: z.boolean(),
  /** Listed with includeFiles: a regular file, not a folder. */
  isFile: z.boolean().optional(),
  size: z.number().optional(),
});

export const filesMethods = {
  /** Native folder picker (Electron). The chosen path is granted to the renderer for later calls. */
  'dialog.pickFolder': {
    params: z.object({
      title: z.string().max(200),
      purpose: z.enum(['ollama-store', 'export-destination', 'bundle', 'import-store', 'hf-cache', 'files', 'disc', 'staging', 'media', 'kit']),
    }),
    result: z.object({ path: z.string().nullable() }),
  },
  /** The server-side folder browser (browser host). Listed folders are granted for later calls. */
  'fs.list': {
    /** includeFiles: list regular files too (the Files tab picks files as well as folders). */
    params: z.object({ path: Path.optional(), includeFiles: z.boolean().optional() }),
    paths: ['path'],
    result: z.object({
      path: z.string(),
      /** null at the top of a root: the browser goes no higher. */
      parent: z.string().nullable(),
      entries: z.array(FolderEntry),
      isBundle: z.boolean(),
      /** Where browsing may go (home, removable media, the stores, folders the host was started with). */
      roots: z.array(z.object({ path: z.string(), label: z.string() })),
    }),
  },
  'fs.mkdir': { params: z.object({ parent: Path, name: FolderName }), paths: ['parent'], result: z.object({ path: z.string() }) },
  /** Native file picker (Electron), several files at once; the chosen paths are granted. */
  'dialog.pickFiles': { params: z.object({ title: z.string().max(200) }), result: z.object({ paths: z.array(z.string()) }) },
} as const satisfies MethodTable;

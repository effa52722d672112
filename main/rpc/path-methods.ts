import { FerryError } from '../util/errors.js';
import { isInside } from './browse-roots.js';
import type { Methods } from './context.js';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { filesMethods } from '../../shared/contract/files.js';

async function isBundleDir(dir: string): Promise<boolean> {
  const [sums, index] = await Promise.all([
    fsp.stat(path.join(dir, 'SHA256SUMS')).catch(() => null),
    fsp.stat(path.join(dir, 'BUNDLE.json')).catch(() => null),
  ]);
  return Boolean(sums?.isFile() && index?.isFile());
}

async function listFolder(dir: string, includeFiles: boolean) {
  let entries;
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FerryError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'IO',
      `Cannot open the folder ${dir}${code === 'EACCES' ? ': permission denied' : code === 'ENOENT' ? ': it does not exist' : ''}.`,
      { file: dir },
    );
  }
  const visible = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const folders = await Promise.all(
    visible
      .filter((e) => e.isDirectory())
      .map(async (e) => ({ name: e.name, path: path.join(dir, e.name), isBundle: await isBundleDir(path.join(dir, e.name)) })),
  );
  if (!includeFiles) return folders;
  const files = await Promise.all(
    visible
      .filter((e) => e.isFile())
      .map(async (e) => ({
        name: e.name,
        path: path.join(dir, e.name),
        isBundle: false,
        isFile: true,
        size: (await fsp.stat(path.join(dir, e.name)).catch(() => null))?.size ?? 0,
      })),
  );
  return [...folders, ...files];
}

export const filesHandlers: Methods<typeof filesMethods> = {
  async 'dialog.pickFolder'(params, ctx) {
    if (!ctx.pickFolder) throw new FerryError('USAGE', 'Native folder dialogs exist only in the desktop app; use the folder browser.');
    const chosen = await ctx.pickFolder(params.title);
    return { path: chosen ? ctx.grants.grant(chosen) : null };
  },
  async 'fs.list'(params, ctx) {
    if (ctx.pickFolder) throw new FerryError('USAGE', 'In the desktop app, folders are chosen with the system dialog.');
    const roots = ctx.grants.roots;
    const dir = params.path ?? roots[0]?.path ?? path.resolve(os.homedir());
    const entries = await listFolder(dir, Boolean(params.includeFiles));
    ctx.grants.grant(dir);
    for (const entry of entries) ctx.grants.grant(entry.path);
    const up = path.dirname(dir);
    const parent = up === dir || (roots.length > 0 && !roots.some((root) => isInside(root.path, up))) ? null : ctx.grants.grant(up);
    return { path: dir, parent, entries, isBundle: await isBundleDir(dir), roots: [...roots] };
  },
  async 'fs.mkdir'(params, ctx) {
    const created = path.join(params.parent, params.name);
    await fsp.mkdir(created);
    return { path: ctx.grants.grant(created) };
  },
  async 'dialog.pickFiles'(params, ctx) {
    if (!ctx.pickFiles) throw new FerryError('USAGE', 'Native file dialogs exist only in the desktop app; use the file browser.');
    const chosen = await ctx.pickFiles(params.title);
    return { paths: chosen.map((p) => ctx.grants.grant(p)) };
  },
};

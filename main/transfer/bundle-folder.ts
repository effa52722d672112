import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ExportRequest } from '../../shared/contract/job-kinds.js';
import { takeBackDiscs } from '../bundle/disc-layout.js';
import { EXPORT_PROGRESS_FILE, type ExportProgressRecord, readExportProgress, reopenRecordedVolumes } from '../bundle/resume.js';
import { BUNDLE_FILES, removePartials } from '../bundle/write.js';
import { FerryError } from '../util/errors.js';

/** The bundle folder an export request creates. */
export function bundleFolderOf(request: Pick<ExportRequest, 'destination' | 'folder' | 'name'>): string {
  return path.resolve(request.destination, request.folder ?? request.name);
}

/** Files an export of bundle `name` writes; SHA256SUMS.sig is last, so a folder without it is incomplete. */
function isOwnIncompleteBundle(files: string[], name: string): boolean {
  const ours = new Set(['BUNDLE.json', 'SHA256SUMS', 'VERIFY.txt', 'signer.pub.pem', EXPORT_PROGRESS_FILE]);
  const volume = new RegExp(`^${name.replace(/[.]/g, '\\.')}\\.tar\\.\\d{3,}$`);
  return !files.includes('SHA256SUMS.sig') && files.every((f) => ours.has(f) || volume.test(f));
}

/**
 * Removes what an interrupted or failed export of bundle `name` left in `out`: hidden partials, and
 * volumes or metadata without SHA256SUMS.sig, but the files in `keep` (what a resumed export
 * continues from). Anything else (a complete bundle, other files) stays. Returns what is left.
 */
export async function clearIncompleteBundle(out: string, name: string, keep: ReadonlySet<string> = new Set()): Promise<string[]> {
  await removePartials(out, keep);
  const left = (await fsp.readdir(out)).filter((file) => !keep.has(file));
  if (left.length === 0 || !isOwnIncompleteBundle(left, name)) return left;
  for (const file of left) await fsp.rm(path.join(out, file), { force: true });
  return [];
}

/**
 * What an export that stopped after its last volume left, its record still beside it: the flat
 * folder's signature goes first, so nothing there passes for a bundle; then the discs' volumes come
 * back and every recorded volume gets its hidden name again, to be checked and kept.
 */
export async function reopenUnfinishedBundle(out: string, record: ExportProgressRecord): Promise<void> {
  await fsp.rm(path.join(out, BUNDLE_FILES.signature), { force: true });
  await takeBackDiscs(
    out,
    record.volumes.map((v) => v.file),
  );
  await reopenRecordedVolumes(out, record);
}

/**
 * Removes what an export that will not be resumed left in its bundle folder (dismissed on Home):
 * its kept volumes under either name, the disc folders it was laying out, its progress record, and
 * the folder itself when the export made it and nothing else is in it. A complete bundle and
 * anything not the export's own stay. Undefined when the folder is gone.
 */
export async function removeUnfinishedExport(
  request: Pick<ExportRequest, 'destination' | 'folder' | 'name'>,
): Promise<{ dir: string; volumes: number } | undefined> {
  const out = bundleFolderOf(request);
  if (!(await fsp.stat(out).catch(() => undefined))?.isDirectory()) return undefined;
  const record = await readExportProgress(out);
  if (record) await reopenUnfinishedBundle(out, record);
  const left = await clearIncompleteBundle(out, request.name);
  if (record?.createdFolder && left.length === 0) await fsp.rmdir(out).catch(() => undefined);
  return { dir: out, volumes: record?.volumes.length ?? 0 };
}

/** The bundle folder must be new, empty, or hold only an incomplete bundle of the same name (its files in `keep` stay). */
export async function prepareOutDir(out: string, name: string, keep: ReadonlySet<string>): Promise<{ created: boolean }> {
  const stat = await fsp.stat(out).catch(() => undefined);
  if (stat && !stat.isDirectory())
    throw new FerryError('USAGE', `The bundle folder ${out} exists and is not a folder. Choose another destination or bundle name.`, { file: out });
  if (stat) {
    const left = await clearIncompleteBundle(out, name, keep);
    if (left.length > 0)
      throw new FerryError(
        'USAGE',
        `The bundle folder ${out} already holds files (${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''}). Choose a new bundle name or another destination.`,
        { file: out },
      );
    return { created: false };
  }
  await fsp.mkdir(out, { recursive: true });
  return { created: true };
}

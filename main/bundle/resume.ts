import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BundleVolume } from '../../shared/bundle.js';
import { writeFileAtomic } from '../util/atomic.js';
import { canonicalJson } from '../util/canonical-json.js';
import type { Progress } from '../util/progress.js';
import type { BundlePlan, PlannedEntry } from './plan.js';
import { partialName } from './volume-writer.js';

/**
 * Beside the volumes of an export under way: which volumes are complete (flushed and fsynced), so a
 * paused or killed export continues with the next one. Hidden, and never a bundle's file: a folder
 * holding it holds no SHA256SUMS.sig, so it never looks complete.
 */
export const EXPORT_PROGRESS_FILE = '.ferry-export-progress.json';

const ExportProgressRecord = z.object({
  version: z.literal(1),
  /** The ledger job that wrote the kept volumes; a resumed run records its events under it. */
  job: z.string().min(1),
  /** planFingerprint of the tar stream the volumes were cut from: another plan cannot reuse them. */
  plan: z.string(),
  volumes: z.array(BundleVolume),
  /** Digests of the plain files the plan hashed, by fileIdentity, so a resumed run does not read them again to plan. */
  files: z.record(z.string(), z.string()).default({}),
  /** The export made the bundle folder: removing what it left (Cancel, or a dismissal on Home) removes the folder too. */
  createdFolder: z.boolean().optional(),
});
export type ExportProgressRecord = z.output<typeof ExportProgressRecord>;

/** Names everything that decides the volumes' bytes: the entries in order, their sizes and contents, the cut. */
export function planFingerprint(plan: BundlePlan, name: string, volumeSize: number): string {
  const entries = plan.entries.map((e) => [e.name, e.size, e.digest ?? (e.source.kind === 'bytes' ? sha256Hex(e.source.bytes) : null)]);
  return `sha256:${sha256Hex(Buffer.from(canonicalJson({ name, volumeSize, tarSize: plan.tarSize, entries })))}`;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function writeExportProgress(dir: string, record: ExportProgressRecord): Promise<void> {
  await writeFileAtomic(path.join(dir, EXPORT_PROGRESS_FILE), JSON.stringify(record) + '\n');
}

export async function removeExportProgress(dir: string): Promise<void> {
  await fsp.rm(path.join(dir, EXPORT_PROGRESS_FILE), { force: true });
}

/** The record an earlier run of an export into `dir` left, or undefined when there is none or it does not parse. */
export async function readExportProgress(dir: string): Promise<ExportProgressRecord | undefined> {
  try {
    const parsed = ExportProgressRecord.safeParse(JSON.parse(await fsp.readFile(path.join(dir, EXPORT_PROGRESS_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `record` was made for this plan and cut: otherwise its volumes are not this export's. */
export function recordFits(record: ExportProgressRecord | undefined, fingerprint: string, names: readonly string[]): record is ExportProgressRecord {
  return record !== undefined && record.plan === fingerprint && record.volumes.every((v, i) => v.file === names[i]);
}

/** Where a resumed export starts writing, and what it carries over from the volumes it keeps. */
export interface ResumePoint {
  /** Volumes re-read and found as recorded, in order; they are not written again. */
  kept: BundleVolume[];
  /** The tar offset the stream continues from: the end of the last kept volume. */
  startAt: number;
  /** The blob whose bytes run across startAt (or end exactly there), hashed up to startAt from the kept volumes. */
  blobPrefix?: { digest: string; hash: Hash };
}

/** Hashes the data of the blobs as the tar stream passes, so the blob cut by a volume's end can be checked as it continues. */
class BlobPrefixes {
  private next = 0;
  private active: { entry: PlannedEntry; hash: Hash } | undefined;
  private ended: { entry: PlannedEntry; hash: Hash } | undefined;
  private readonly blobs: PlannedEntry[];

  constructor(plan: BundlePlan) {
    this.blobs = plan.entries.filter((e) => e.digest && e.size > 0);
  }

  /** `chunk` holds the tar bytes from offset `at`; the stream is fed in order from 0. */
  feed(chunk: Buffer, at: number): void {
    const end = at + chunk.length;
    let pos = at;
    while (pos < end) {
      if (!this.active) {
        const blob = this.blobs[this.next];
        if (!blob || blob.dataOffset >= end) return;
        pos = Math.max(pos, blob.dataOffset);
        this.active = { entry: blob, hash: createHash('sha256') };
        this.ended = undefined;
        this.next++;
      }
      const { entry, hash } = this.active;
      const upTo = Math.min(end, entry.dataOffset + entry.size);
      hash.update(chunk.subarray(pos - at, upTo - at));
      pos = upTo;
      if (pos === entry.dataOffset + entry.size) {
        this.ended = this.active;
        this.active = undefined;
      }
    }
  }

  /** The blob a stream continuing at `boundary` must finish hashing, with a copy of its hash so far. */
  at(boundary: number): ResumePoint['blobPrefix'] {
    const open = this.active ?? (this.ended && this.ended.entry.dataOffset + this.ended.entry.size === boundary ? this.ended : undefined);
    return open ? { digest: open.entry.digest!, hash: open.hash.copy() } : undefined;
  }
}

export interface RecheckOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: Progress) => void) | undefined;
}

/**
 * Reads each kept volume back and keeps those whose size and sha256 are as recorded, up to the first
 * that is not (it and those after it are written again). Hashes, on the way, the blob the last kept
 * volume's end cuts, so the continued stream checks that blob's digest over all of its bytes.
 */
export async function recheckKeptVolumes(dir: string, plan: BundlePlan, recorded: readonly BundleVolume[], opts: RecheckOptions = {}): Promise<ResumePoint> {
  const prefixes = new BlobPrefixes(plan);
  const kept: BundleVolume[] = [];
  let offset = 0;
  let blobPrefix: ResumePoint['blobPrefix'];
  const phase = `Checking the ${recorded.length} volume${recorded.length === 1 ? '' : 's'} already written`;
  for (const volume of recorded) {
    const hash = createHash('sha256');
    let read = 0;
    try {
      for await (const chunk of fs.createReadStream(path.join(dir, partialName(volume.file)), { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
        if (opts.signal?.aborted) throw opts.signal.reason;
        hash.update(chunk);
        prefixes.feed(chunk, offset + read);
        read += chunk.length;
        opts.onProgress?.({ bytesDone: offset + read, bytesTotal: plan.tarSize, item: volume.file, phase });
      }
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      break; // missing or unreadable: written again
    }
    if (read !== volume.size || hash.digest('hex') !== volume.sha256) break;
    kept.push(volume);
    offset += read;
    blobPrefix = prefixes.at(offset);
  }
  return { kept, startAt: offset, ...(blobPrefix ? { blobPrefix } : {}) };
}

/**
 * The files a record keeps: its volumes under the hidden names they have while the export writes,
 * and under their own names once the last is written (until the bundle is signed and laid out).
 */
export function keptFiles(record: ExportProgressRecord | undefined): Set<string> {
  return new Set(record ? [EXPORT_PROGRESS_FILE, ...record.volumes.flatMap((v) => [partialName(v.file), v.file])] : []);
}

/**
 * Gives the recorded volumes an earlier run had already renamed into place (it stopped while
 * signing or laying out the bundle) their hidden names back, so they are checked and kept like any
 * other; writing them again is not needed.
 */
export async function reopenRecordedVolumes(dir: string, record: ExportProgressRecord): Promise<void> {
  for (const volume of record.volumes) {
    const hidden = path.join(dir, partialName(volume.file));
    if (fs.existsSync(hidden)) continue;
    await fsp.rename(path.join(dir, volume.file), hidden).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}

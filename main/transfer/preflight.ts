import fs from 'node:fs/promises';
import path from 'node:path';
import type { BundleArtifact } from '../../shared/bundle.js';
import { formatBytes } from '../../shared/sizes.js';
import { FerryError } from '../util/errors.js';
import { addLinkedOut, nameLimitProblem, type LinkedOut } from '../util/inside-folder.js';
import type { TargetPlan } from '../util/target-plan.js';

/** One artifact bound for one local target, with the plan of what its install writes. */
export interface PlannedInstall {
  artifact: BundleArtifact;
  /** The target folder, as the user named it. */
  dir: string;
  plan: TargetPlan;
}

export interface PreflightReport {
  /** Bytes written anew, per file system (keyed by a folder on it). */
  room: { dir: string; needed: number; available: number }[];
  /** Folders that are links out of their target on purpose, used as they are. */
  linkedOut: LinkedOut[];
}

const EXPORT_AGAIN = 'Ask the exporting site to export it again.';

/**
 * The checks that depend on the targets, run before the first byte is written to any of them:
 * no two artifacts write one place with different content, every name fits the file system, and
 * each file system has room for what is new on it (after what is already there is counted out).
 */
export async function checkPlannedInstalls(installs: readonly PlannedInstall[]): Promise<PreflightReport> {
  refuseConflicts(installs);
  refuseNamesThatDoNotFit(installs);
  const room = await checkRoom(installs);
  const linkedOut: LinkedOut[] = [];
  for (const { plan } of installs) addLinkedOut(linkedOut, plan.linkedOut);
  return { room, linkedOut };
}

function refuseConflicts(installs: readonly PlannedInstall[]): void {
  const claimed = new Map<string, { content: string; ref: string }>();
  for (const { artifact, plan } of installs) {
    for (const file of plan.files) {
      const key = file.key ?? file.path;
      const other = claimed.get(key);
      if (other && other.content !== file.content) {
        const who = other.ref === artifact.ref ? `${artifact.ref} writes` : `${other.ref} and ${artifact.ref} would both write`;
        throw new FerryError(
          'INTEGRITY',
          `The bundle is inconsistent: ${who} ${file.path} with different content (${other.content}, ${file.content}). Nothing was written. ${EXPORT_AGAIN}`,
          {
            file: file.path,
            refs: [other.ref, artifact.ref],
          },
        );
      }
      claimed.set(key, { content: file.content, ref: artifact.ref });
    }
  }
}

function refuseNamesThatDoNotFit(installs: readonly PlannedInstall[]): void {
  for (const { artifact, dir, plan } of installs) {
    for (const file of plan.files) {
      const limit = nameLimitProblem(file.path);
      if (!limit) continue;
      // A name no file system holds is the bundle's fault; a path made too long by the target's own depth is not.
      if (limit.part === 'name') {
        throw new FerryError('INTEGRITY', `${artifact.ref} cannot be installed: ${limit.problem}. Nothing was written. ${EXPORT_AGAIN}`, {
          file: file.path,
          ref: artifact.ref,
        });
      }
      throw new FerryError(
        'USAGE',
        `${artifact.ref} cannot be installed into ${dir}: ${limit.problem}. Nothing was written. Choose a target folder with a shorter path.`,
        { file: file.path, ref: artifact.ref },
      );
    }
  }
}

/** The nearest folder of `file` that exists: where its bytes will land, as far as a file system can say. */
async function existingFolderOf(file: string): Promise<string> {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const stat = await fs.stat(dir).catch(() => undefined);
    if (stat?.isDirectory() || path.dirname(dir) === dir) return dir;
  }
}

async function checkRoom(installs: readonly PlannedInstall[]): Promise<PreflightReport['room']> {
  const counted = new Set<string>();
  const byDevice = new Map<number, { dir: string; needed: number }>();
  const folderDevice = new Map<string, { dev: number; dir: string }>();
  for (const { plan } of installs) {
    for (const file of plan.files) {
      if (file.newBytes === 0 || counted.has(file.path)) continue;
      counted.add(file.path);
      const parent = path.dirname(file.path);
      let where = folderDevice.get(parent);
      if (!where) {
        const dir = await existingFolderOf(file.path);
        where = { dev: (await fs.stat(dir)).dev, dir };
        folderDevice.set(parent, where);
      }
      const entry = byDevice.get(where.dev) ?? { dir: where.dir, needed: 0 };
      entry.needed += file.newBytes;
      byDevice.set(where.dev, entry);
    }
  }
  const room: PreflightReport['room'] = [];
  for (const { dir, needed } of byDevice.values()) {
    const stats = await fs.statfs(dir);
    const available = stats.bavail * stats.bsize;
    if (available < needed) {
      throw new FerryError(
        'NO_SPACE',
        `${dir} has ${formatBytes(available)} free, but the import needs ${formatBytes(needed)} there. Nothing was written. Free some space, or choose another target.`,
        {
          file: dir,
          needed,
          available,
        },
      );
    }
    room.push({ dir, needed, available });
  }
  return room;
}

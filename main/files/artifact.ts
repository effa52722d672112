import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { standInDigest, type ArtifactInput, type BlobInput, type DigestMode } from '../bundle/plan.js';
import { FerryError } from '../util/errors.js';
import { hashFile } from '../util/hash-file.js';
import { EMPTY_CONFIG, OCI_MANIFEST, ORAS_FILE_LAYER, ORAS_UNKNOWN_ARTIFACT, TITLE_ANNOTATION, nameComponent, titleProblem } from './titles.js';

export interface FilesArtifactOptions {
  /** Names the artifact instead of the file or folder's own name; reduced by the same rule. */
  name?: string;
  /** Cancels the hashing of the files. */
  signal?: AbortSignal;
  /** Bytes hashed so far, for progress while a large folder is read. */
  onBytes?: (n: number) => void;
  /** Ferry's own installer (an AppImage, a deb or an exe), carried so the far side can install Ferry from the same media. */
  installer?: InstallerFormat;
  /** `sizes` for an estimate: the files are stat'ed, not read (see DigestMode). */
  digests?: DigestMode;
  /**
   * Digests an earlier run of the same export computed, by fileIdentity: a file found unchanged is
   * not read again; each file hashed now is added. (The bundle writer still hashes what it copies.)
   */
  knownDigests?: Map<string, string>;
}

/** A file as it was when hashed: any write or utimes moves its ctime, so a changed file never matches. */
export function fileIdentity(file: string, stat: Stats): string {
  return [file, stat.dev, stat.ino, stat.size, stat.mtimeMs, stat.ctimeMs].join('\0');
}

export const INSTALLER_FORMATS = { '.appimage': 'appimage', '.deb': 'deb', '.exe': 'exe' } as const;
/** The self-contained command line (npm run dist:cli): ferry-cli-VERSION-linux-x64.tar.gz. */
const CLI_TARBALL = /^ferry-cli-[^/]*\.tar\.gz$/i;
export type InstallerFormat = (typeof INSTALLER_FORMATS)[keyof typeof INSTALLER_FORMATS] | 'cli';
/** The manifest annotation, and the artifact fact, that mark a files artifact as Ferry's installer. */
export const INSTALLER_ANNOTATION = 'io.ferry.installer';

/** The installer format of PATH from its name, or a usage error saying which files are accepted. */
export function installerFormat(file: string): InstallerFormat {
  if (CLI_TARBALL.test(path.basename(file))) return 'cli';
  const format = INSTALLER_FORMATS[path.extname(file).toLowerCase() as keyof typeof INSTALLER_FORMATS];
  if (!format)
    throw new FerryError(
      'USAGE',
      `${file} is not a Ferry installer: --include-installer takes the AppImage, .deb or .exe that npm run dist builds, or the ferry-cli-….tar.gz of npm run dist:cli.`,
      { file },
    );
  return format;
}

const FILES_REF = /^ferry\.local\/(files|ferry-installer)\/([^/:]+):latest$/;

/** The reference a files artifact is recorded under: ferry.local/files/NAME:latest (ferry-installer/ for Ferry's own installer). */
function filesArtifactRef(name: string, installer: boolean): string {
  return `ferry.local/${installer ? 'ferry-installer' : 'files'}/${name}:latest`;
}

/** Why `ref` is not a reference filesArtifact writes, or undefined when it is. */
export function filesRefProblem(ref: string): string | undefined {
  const match = FILES_REF.exec(ref);
  if (!match) return 'expected ferry.local/files/NAME:latest';
  return match[2] === nameComponent(match[2]!) ? undefined : `"${match[2]}" is not a name Ferry gives a files artifact`;
}

interface FoundFile {
  title: string;
  path: string;
  size: number;
}

/**
 * One `--file PATH` (a file or a folder) as an OCI artifact in ORAS's file convention, so
 * `oras pull` restores it too: an empty config, one layer per regular file titled with its
 * relative path (a folder's files as `<folder>/<sub/path>`), sorted by title so the same content
 * always gives the same manifest bytes. Every file is hashed once here, streaming; the bundle writer
 * re-hashes it while copying and refuses it if it changed in between.
 * PATH itself may be a symbolic link (the operator named it); links inside a folder are refused.
 */
export async function filesArtifact(input: string, opts: FilesArtifactOptions = {}): Promise<ArtifactInput> {
  const source = path.resolve(input);
  const base = path.basename(source);
  const stat = await fs.stat(source).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new FerryError('NOT_FOUND', `${input} does not exist. Check the path given to --file.`, { file: input });
    throw err;
  });
  const name = nameComponent(opts.name ?? base);
  if (!name) {
    const given = opts.name ?? base;
    throw new FerryError(
      'USAGE',
      `"${given}" leaves no usable artifact name: a name needs letters or digits (a-z, 0-9, with . _ - between them). Rename it, or give the artifact a name.`,
      { file: input },
    );
  }

  let files: FoundFile[];
  if (stat.isDirectory()) files = await walk(source, base);
  else if (stat.isFile()) files = [{ title: base, path: source, size: stat.size }];
  else throw notRegular(source, stat);
  if (files.length === 0)
    throw new FerryError('USAGE', `${input} holds no files (empty folders are not carried). Choose a folder with files in it.`, { file: input });

  for (const file of files) {
    const problem = titleProblem(file.title);
    if (problem) {
      throw new FerryError('INVALID_INPUT', `${file.path}: its path "${file.title}" ${problem}, which cannot be restored safely. Rename it, or leave it out.`, {
        file: file.path,
      });
    }
  }
  files.sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));

  const owner = `files ${name}`;
  const blobs: BlobInput[] = [{ digest: EMPTY_CONFIG.digest, size: EMPTY_CONFIG.size, source: { kind: 'bytes', bytes: EMPTY_CONFIG.bytes }, owner }];
  const layers = [];
  for (const file of files) {
    const digest = await digestOf(file, opts);
    blobs.push({ digest, size: file.size, source: { kind: 'file', path: file.path }, owner: `${owner} (${file.title})` });
    layers.push({ mediaType: ORAS_FILE_LAYER, digest, size: file.size, annotations: { [TITLE_ANNOTATION]: file.title } });
  }

  // Field order as oras writes it; `data` is the empty config inlined, as oras-go's empty descriptor carries it.
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: ORAS_UNKNOWN_ARTIFACT,
    config: { mediaType: EMPTY_CONFIG.mediaType, digest: EMPTY_CONFIG.digest, size: EMPTY_CONFIG.size, data: EMPTY_CONFIG.bytes.toString('base64') },
    layers,
    ...(opts.installer ? { annotations: { [INSTALLER_ANNOTATION]: opts.installer } } : {}),
  };
  if (opts.installer && (files.length !== 1 || !stat.isFile())) throw new FerryError('USAGE', `${input}: an installer is one file.`, { file: input });
  return {
    kind: 'files',
    ref: filesArtifactRef(name, Boolean(opts.installer)),
    mediaType: OCI_MANIFEST,
    manifest: Buffer.from(JSON.stringify(manifest)),
    blobs,
    facts: { files: files.length, title: name, ...(opts.installer ? { installer: opts.installer } : {}) },
  };
}

function notRegular(file: string, stat: Stats): FerryError {
  const what = stat.isSymbolicLink()
    ? 'a symbolic link'
    : stat.isSocket()
      ? 'a socket'
      : stat.isFIFO()
        ? 'a named pipe'
        : stat.isBlockDevice() || stat.isCharacterDevice()
          ? 'a device'
          : 'not a regular file';
  return new FerryError('INVALID_INPUT', `${file} is ${what}; only regular files are carried. Copy the real file in its place (cp -L), or leave it out.`, {
    file,
  });
}

/** Every regular file under `root`, titled `<prefix>/<relative path>`; anything else is refused by name. */
async function walk(root: string, prefix: string): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const pending: { dir: string; title: string }[] = [{ dir: root, title: prefix }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    // Read names as bytes: a name that is not UTF-8 would otherwise be silently changed.
    for (const raw of await fs.readdir(next.dir, { encoding: 'buffer' })) {
      const entry = raw.toString('utf8');
      const full = path.join(next.dir, entry);
      if (!Buffer.from(entry, 'utf8').equals(raw)) {
        throw new FerryError('INVALID_INPUT', `A name in ${next.dir} is not valid UTF-8 (it reads as "${entry}"). Rename it, or leave it out.`, { file: full });
      }
      const stat = await fs.lstat(full);
      const title = `${next.title}/${entry}`;
      if (stat.isDirectory()) pending.push({ dir: full, title });
      else if (stat.isFile()) found.push({ title, path: full, size: stat.size });
      else throw notRegular(full, stat);
    }
  }
  return found;
}

async function digestOf(file: FoundFile, opts: FilesArtifactOptions): Promise<string> {
  if (opts.digests === 'sizes') return standInDigest(file.path);
  const identity = opts.knownDigests ? fileIdentity(file.path, await fs.stat(file.path)) : '';
  const known = opts.knownDigests?.get(identity);
  if (known) return known;
  const { bytesRead: read, sha256 } = await hashFile(file.path, { signal: opts.signal, onBytes: opts.onBytes });
  if (read !== file.size) {
    throw new FerryError(
      'INVALID_INPUT',
      `${file.path} changed while it was read (${read} bytes, not ${file.size}). Export again once nothing is writing to it.`,
      {
        file: file.path,
      },
    );
  }
  opts.knownDigests?.set(identity, `sha256:${sha256}`);
  return `sha256:${sha256}`;
}

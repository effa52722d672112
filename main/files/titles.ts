/**
 * ORAS's file convention, shared by the exporter and the restorer: one layer per file, its path in
 * the org.opencontainers.image.title annotation, an empty config and an artifactType.
 */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** What `oras push` writes when no --artifact-type is given. */
export const ORAS_UNKNOWN_ARTIFACT = 'application/vnd.unknown.artifact.v1';
/** `oras push` gives every plain file this layer type when none is given, tar or not. */
export const ORAS_FILE_LAYER = 'application/vnd.oci.image.layer.v1.tar';
export const TITLE_ANNOTATION = 'org.opencontainers.image.title';
/** oras marks a layer holding a whole folder (a tar+gzip to unpack) with this; we never write one. */
export const ORAS_UNPACK_ANNOTATION = 'io.deis.oras.content.unpack';

export const EMPTY_CONFIG = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
  bytes: Buffer.from('{}'),
} as const;

export const MAX_TITLE_BYTES = 4096;

/**
 * Why `title` cannot name a file under a target folder, or undefined when it can: relative,
 * forward slashes only, no empty, `.` or `..` segment, no NUL, at most 4096 bytes. A Windows drive
 * prefix (`C:x`) is refused everywhere, since a bundle made on Linux may be restored on Windows.
 */
export function titleProblem(title: unknown): string | undefined {
  if (typeof title !== 'string' || title === '') return 'is empty';
  if (Buffer.byteLength(title) > MAX_TITLE_BYTES) return `is longer than ${MAX_TITLE_BYTES} bytes`;
  if (title.includes('\0')) return 'contains a NUL character';
  if (title.includes('\\')) return 'contains a backslash';
  if (title.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(title)) return 'starts with a drive letter';
  for (const segment of title.split('/')) {
    if (segment === '') return 'has an empty path segment';
    if (segment === '.') return 'has a "." path segment';
    if (segment === '..') return 'has a ".." path segment';
  }
  return undefined;
}

/** Longest name kept, so `ferry.local/files/<name>` stays well inside registries' 255-character repository limit. */
const MAX_NAME = 128;

/**
 * Reduces a file or folder name to one OCI repository path component
 * (`[a-z0-9]+((.|_|__|-+)[a-z0-9]+)*`): lowercased; every run of other characters becomes one `-`;
 * a run of separators that OCI does not allow between two letters or digits (`._`, `-.`, `___`)
 * becomes one `-`; separators at either end are dropped; at most 128 characters.
 * `My Model (v2).tar.gz` → `my-model-v2-tar.gz`, `.bashrc` → `bashrc`. Empty when nothing is left.
 */
export function nameComponent(raw: string): string {
  let name = raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]+/g, (run) => (/^(?:\.|_|__|-+)$/.test(run) ? run : '-'))
    .replace(/^[._-]+|[._-]+$/g, '');
  if (name.length > MAX_NAME) name = name.slice(0, MAX_NAME).replace(/[._-]+$/, '');
  return name;
}

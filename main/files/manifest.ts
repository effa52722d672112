import { MAX_MANIFEST_BYTES } from '../../shared/bundle.js';
import { FerryError } from '../util/errors.js';
import { EMPTY_CONFIG, OCI_MANIFEST, ORAS_UNPACK_ANNOTATION, TITLE_ANNOTATION, titleProblem } from './titles.js';

/** One file a files artifact carries: where it goes (relative, `/`-separated) and what it must hash to. */
export interface FileLayer {
  title: string;
  digest: string;
  size: number;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

function malformed(why: string): FerryError {
  return new FerryError('INVALID_INPUT', `The files manifest ${why}; it cannot be restored. Export the files again.`, {});
}

function unsafe(title: string, why: string, details: Record<string, unknown> = {}): FerryError {
  return new FerryError(
    'INTEGRITY',
    `The files manifest names ${JSON.stringify(title)}, which ${why}; nothing was written. The bundle is not safe to restore.`,
    {
      title,
      ...details,
    },
  );
}

/**
 * Reads an ORAS-style files manifest and refuses, before anything is written, every title that
 * could land outside the target folder or collide: see titleProblem, plus duplicates and a title
 * that is also a folder of another title. The empty layer oras packs into an artifact with no
 * files is skipped, as `oras pull` does; any other untitled layer is not a files artifact.
 */
export function parseFilesManifest(bytes: Uint8Array): FileLayer[] {
  if (bytes.length > MAX_MANIFEST_BYTES) throw malformed(`is ${bytes.length} bytes, more than ${MAX_MANIFEST_BYTES}`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw malformed('is not JSON');
  }
  if (typeof manifest !== 'object' || manifest === null) throw malformed('is not a JSON object');
  const { schemaVersion, mediaType, layers } = manifest as Record<string, unknown>;
  if (schemaVersion !== 2 || (mediaType !== undefined && mediaType !== OCI_MANIFEST)) throw malformed(`is not an OCI image manifest (${OCI_MANIFEST})`);
  if (!Array.isArray(layers)) throw malformed('has no layers list');

  const found: FileLayer[] = [];
  layers.forEach((layer: unknown, i) => {
    if (typeof layer !== 'object' || layer === null) throw malformed(`has a layer ${i} that is not an object`);
    const { digest, size, annotations, mediaType: layerType } = layer as Record<string, unknown>;
    if (typeof digest !== 'string' || !DIGEST.test(digest)) throw malformed(`has a layer ${i} without a sha256 digest`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw malformed(`has a layer ${i} without a valid size`);
    const notes = typeof annotations === 'object' && annotations !== null ? (annotations as Record<string, unknown>) : {};
    const title = notes[TITLE_ANNOTATION];
    if (title === undefined) {
      if (layerType === EMPTY_CONFIG.mediaType && digest === EMPTY_CONFIG.digest && size === EMPTY_CONFIG.size) return;
      throw malformed(`has a layer ${i} (${digest}) without a ${TITLE_ANNOTATION} annotation, so it is not a files artifact`);
    }
    const problem = titleProblem(title);
    if (problem) throw unsafe(String(title), problem);
    if (notes[ORAS_UNPACK_ANNOTATION] === 'true') {
      throw malformed(`has ${JSON.stringify(title)} as a folder archive to unpack (oras push of a folder); restore that one with oras pull`);
    }
    found.push({ title: title as string, digest, size });
  });

  const titles = new Set<string>();
  for (const { title } of found) {
    if (titles.has(title)) throw unsafe(title, 'appears twice');
    titles.add(title);
  }
  for (const { title } of found) {
    const segments = title.split('/');
    for (let n = 1; n < segments.length; n++) {
      const folder = segments.slice(0, n).join('/');
      if (titles.has(folder)) throw unsafe(folder, `is a file but also the folder of ${JSON.stringify(title)}`, { other: title });
    }
  }
  return found;
}

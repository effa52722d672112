import { VOLUME_PRESETS } from '../../shared/media.js';
import { FerryError } from '../util/errors.js';

export { VOLUME_PRESETS };

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1000,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  t: 1000 ** 4,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** The smallest volume that still makes sense: one tar block plus room for headers. */
export const MIN_VOLUME_SIZE = 1024 * 1024;

/** Parses `--volume-size`: a preset name, bytes, or a number with a unit (700MiB, 4.7GB). */
export function parseVolumeSize(input: string, flag = '--volume-size'): number {
  const text = input.trim().toLowerCase();
  const preset = (VOLUME_PRESETS as Record<string, { bytes: number }>)[text];
  if (preset) return preset.bytes;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(text);
  const unit = match ? UNITS[match[2]!] : undefined;
  if (!match || unit === undefined) {
    throw new FerryError(
      'USAGE',
      `${flag} "${input}" is not a size. Use bytes, a unit (700MiB, 4.7GB) or a preset: ${Object.keys(VOLUME_PRESETS).join(', ')}.`,
      { field: flag },
    );
  }
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < MIN_VOLUME_SIZE) {
    throw new FerryError('USAGE', `${flag} "${input}" is below the 1 MiB minimum.`, { field: flag });
  }
  return bytes;
}

import { VOLUME_PRESETS } from '../../shared/media.js';
import { readVolumeSize } from '../../shared/sizes.js';
import { FerryError } from '../util/errors.js';

export { VOLUME_PRESETS };

/** Parses `--volume-size`: a preset name, bytes, or a number with a unit (700MiB, 4.7GB). */
export function parseVolumeSize(input: string, flag = '--volume-size'): number {
  const text = input.trim().toLowerCase();
  const preset = (VOLUME_PRESETS as Record<string, { bytes: number }>)[text];
  if (preset) return preset.bytes;
  const read = readVolumeSize(text);
  if ('bytes' in read) return read.bytes;
  if (read.problem === 'below-minimum') throw new FerryError('USAGE', `${flag} "${input}" is below the 1 MiB minimum.`, { field: flag });
  if (read.problem === 'too-large') throw new FerryError('USAGE', `${flag} "${input}" is too large.`, { field: flag });
  throw new FerryError('USAGE', `${flag} "${input}" is not a size. Use bytes, a unit (700MiB, 4.7GB) or a preset: ${Object.keys(VOLUME_PRESETS).join(', ')}.`, {
    field: flag,
  });
}

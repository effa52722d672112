/** Byte counts as people read and type them, the same on every face (no zod, so the renderer may import it). */

const BINARY_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** A byte count in binary units, 3 significant digits: "1.46 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  if (Math.abs(bytes) < 1024) return `${bytes} B`;
  let value = bytes / 1024;
  let i = 0;
  while (Math.abs(value) >= 1024 && i < BINARY_UNITS.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value.toFixed(Math.abs(value) < 10 ? 2 : 1)} ${BINARY_UNITS[i]}`;
}

const SIZE_UNITS: Record<string, number> = {
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

export type SizeProblem = 'empty' | 'not-a-size' | 'below-minimum' | 'too-large';

/** A volume size typed as bytes or a number with a unit (700MiB, 4.7GB); each face words the problem its own way. */
export function readVolumeSize(input: string): { bytes: number } | { problem: SizeProblem } {
  const text = input.trim().toLowerCase();
  if (!text) return { problem: 'empty' };
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(text);
  const unit = match ? SIZE_UNITS[match[2] ?? ''] : undefined;
  if (!match || unit === undefined) return { problem: 'not-a-size' };
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < MIN_VOLUME_SIZE) return { problem: 'below-minimum' };
  if (!Number.isSafeInteger(bytes)) return { problem: 'too-large' };
  return { bytes };
}

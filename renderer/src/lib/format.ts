/** Formatting helpers shared by every screen: binary sizes, rates, durations, digests, times. */
import { formatBytes, readVolumeSize, type SizeProblem } from '../../../shared/sizes.js';
export { groupedHex } from '../../../shared/hex-groups.js';

/** The engine's own wording of sizes and the rule for typed volume sizes (shared/sizes.ts). */
export { formatBytes };

export function formatExactBytes(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} byte${bytes === 1 ? '' : 's'}`;
}

export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** "42 s", "3 min 05 s", "1 h 12 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** sha256:0123456789ab…cdef for tables; anything not a digest is shortened in the middle. */
export function shortDigest(value: string, keep = 12): string {
  const match = /^(sha256:)?([0-9a-f]+)$/i.exec(value);
  if (match) {
    const [, prefix = '', hex = ''] = match;
    if (hex.length <= keep + 6) return value;
    return `${prefix}${hex.slice(0, keep)}…${hex.slice(-4)}`;
  }
  if (value.length <= keep * 2 + 6) return value;
  return `${value.slice(0, keep + 4)}…${value.slice(-keep)}`;
}

// One formatter for every time shown: toLocaleString with options builds a new one per call, which a page of rows pays for many times over.
const LOCAL_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatLocalTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return LOCAL_TIME.format(date);
}

export function formatUtcTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')} (UTC)`;
}

export { eventTypeLabel } from '../../../shared/ledger-event-labels.js';

/** The local date as YYYY-MM-DD. */
export function isoDate(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Joins a folder and a name with the folder's own separator (POSIX or Windows). */
export function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

/** Parses a custom volume size the way `ferry export --volume-size` does: bytes or a number with a unit. */
export function parseSize(input: string): { bytes: number } | { error: string } {
  const read = readVolumeSize(input);
  if ('bytes' in read) return read;
  return { error: SIZE_PROBLEMS[read.problem](input.trim()) };
}

const SIZE_PROBLEMS: Record<SizeProblem, (typed: string) => string> = {
  empty: () => 'Type a size, for example 700MiB or 4.7GB.',
  'not-a-size': (typed) => `"${typed}" is not a size. Use bytes or a unit: 700MiB, 4.7GB, 2GiB.`,
  'below-minimum': () => 'A volume must be at least 1 MiB.',
  'too-large': () => 'That size is too large.',
};

/** "granite4.1:8b" → { name: "granite4.1", tag: "8b" }; "user/model" → tag "latest". */
export function splitModelName(display: string): { name: string; tag: string } {
  const slash = display.lastIndexOf('/');
  const colon = display.lastIndexOf(':');
  if (colon > slash) return { name: display.slice(0, colon), tag: display.slice(colon + 1) };
  return { name: display, tag: 'latest' };
}

/** The last part of a POSIX or Windows path. */
export function basename(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1) || trimmed;
}

/** The folder a POSIX or Windows path is in. */
export function parentOf(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const at = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return at <= 0 ? trimmed.slice(0, at + 1) || trimmed : trimmed.slice(0, at);
}

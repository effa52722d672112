/** Media presets for volume sizes, in bytes. Disc sizes are the decimal sizes printed on the media. */
export const VOLUME_PRESETS = {
  usb: { bytes: Number.MAX_SAFE_INTEGER, label: 'USB disk (one volume; exFAT, ext4, NTFS)' },
  fat32: { bytes: 4 * 1024 ** 3 - 1, label: 'FAT32-safe, 4 GiB − 1 byte' },
  dvd: { bytes: 4_700_000_000, label: 'DVD-R, 4.7 GB' },
  'dvd-dl': { bytes: 8_500_000_000, label: 'DVD-R DL, 8.5 GB' },
  bd25: { bytes: 25_000_000_000, label: 'BD-R, 25 GB' },
  bd50: { bytes: 50_000_000_000, label: 'BD-R DL, 50 GB' },
  bd100: { bytes: 100_000_000_000, label: 'BD-R XL, 100 GB' },
} as const satisfies Record<string, { bytes: number; label: string }>;

export type VolumePreset = keyof typeof VOLUME_PRESETS;

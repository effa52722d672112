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

/** The presets that are discs: with them the bundle is laid out one disc to a folder. */
export const DISC_PRESETS = ['dvd', 'dvd-dl', 'bd25', 'bd50', 'bd100'] as const satisfies readonly VolumePreset[];

/** Room kept on each disc beside its volume for the signed metadata and the disc's file system. */
export const DISC_RESERVE = 64 * 1024 * 1024;

export const isDiscPreset = (preset: string): preset is (typeof DISC_PRESETS)[number] => (DISC_PRESETS as readonly string[]).includes(preset);

/** A disc preset's volume size: the disc's capacity less the reserve, so one volume and the metadata fit each disc. */
export const discVolumeBytes = (preset: (typeof DISC_PRESETS)[number]) => VOLUME_PRESETS[preset].bytes - DISC_RESERVE;

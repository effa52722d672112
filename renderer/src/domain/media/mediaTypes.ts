import type { MediaType, MediaVerifyJobResult } from '../../../../shared/rpc.js';
import type { Job } from '../../../../shared/rpc.js';

/** Every MediaType, in the order the select offers them, with the words a person reads. */
export const MEDIA_TYPE_LABELS: Record<MediaType, string> = {
  usb: 'USB stick',
  'external-disk': 'External disk',
  'dvd-r': 'DVD-R',
  'dvd-r-dl': 'DVD-R DL',
  'bd-r': 'BD-R',
  'sd-card': 'SD card',
  other: 'Other',
};

export const MEDIA_TYPES = Object.keys(MEDIA_TYPE_LABELS) as MediaType[];

export function mediaTypeLabel(type: string | undefined): string {
  return type && type in MEDIA_TYPE_LABELS ? MEDIA_TYPE_LABELS[type as MediaType] : (type ?? '—');
}

/** The medium as typed: `dir` null reads back from the default folder (the bundle folder just written). */
export interface MediaFormValue {
  id: string;
  label: string;
  type: MediaType | '';
  seal: string;
  dir: string | null;
}

export const EMPTY_MEDIA_FORM: MediaFormValue = { id: '', label: '', type: '', seal: '', dir: null };

/** The result of a completed media read-back (Job is a union by kind). */
export function mediaVerifyResultOf(job: Job | undefined): MediaVerifyJobResult | undefined {
  return job?.kind === 'media-verify' ? job.result : undefined;
}

/** One medium read back during this export, as the wizard lists it. */
export interface VerifiedMedium {
  jobId: string;
  result: MediaVerifyJobResult;
}

import { discVolumeBytes, isDiscPreset, VOLUME_PRESETS } from '../../../../shared/media.js';
import type { ExportRequest } from '../../../../shared/rpc.js';
import { parseSize } from '../../lib/format';
import { useAppInfo } from '../../core/appInfoStore';
import { referenceRequest } from './references';
import type { ExportState, MediaChoice } from './exportState';
/** The volume size in bytes for the current media choice, or the reason there is none. A disc preset leaves room on the disc for the metadata. */
export function volumeSizeOf(media: MediaChoice, customSize: string): { bytes: number } | { error: string } {
  if (media === 'custom') return parseSize(customSize);
  return { bytes: isDiscPreset(media) ? discVolumeBytes(media) : VOLUME_PRESETS[media].bytes };
}

/** One folder per disc: always for a disc preset, and for a custom size when asked. */
export const laidOutAsDiscs = (s: Pick<ExportState, 'media' | 'discLayout'>) => isDiscPreset(s.media) || (s.media === 'custom' && s.discLayout);

/** The store the request names: the field's (whose list the models were ticked in), else the app's default. Unread when no model is chosen. */
export function requestStore(s: Pick<ExportState, 'store'>): string {
  return s.store.trim() || useAppInfo.getState().info?.defaultOllamaStore || '';
}

/** The cache the request names: the field's, else the app's default. */
export function requestHfCache(s: Pick<ExportState, 'hfCache'>): string {
  return s.hfCache.trim() || useAppInfo.getState().info?.defaultHfCache || '';
}

type CarryFields = 'store' | 'models' | 'images' | 'charts' | 'platforms' | 'registry' | 'signatures' | 'hfCache' | 'hf' | 'files';

/** Everything export.estimate and export.start share: the store and models, the references, the HF cache and revisions, the files. */
export function carryRequest(s: ExportState): Pick<ExportRequest, CarryFields> {
  const store = s.selected.length > 0 ? requestStore(s) : '';
  const hfCache = s.hfSelected.length > 0 ? requestHfCache(s) : '';
  return {
    ...(store ? { store } : {}),
    models: s.selected,
    ...referenceRequest(s),
    ...(hfCache ? { hfCache } : {}),
    hf: s.hfSelected,
    files: s.files.map((f) => f.path),
  };
}

/** The request export.start sends for the current choices (and approval.request asks approval for), or why there is none yet. */
export function exportRequest(s: ExportState): { request: ExportRequest } | { error: string } {
  const size = volumeSizeOf(s.media, s.customSize);
  if ('error' in size) return { error: size.error };
  const destination = s.destination.trim();
  if (!destination) return { error: 'Choose a destination folder.' };
  return {
    request: { ...carryRequest(s), volumeSize: size.bytes, destination, name: s.name.trim(), ...(laidOutAsDiscs(s) ? { layout: 'discs' as const } : {}) },
  };
}

/** Identifies a request: an approval answers exactly one. */
export function exportRequestKey(s: ExportState): string {
  const r = exportRequest(s);
  return 'request' in r ? JSON.stringify(r.request) : `none: ${r.error}`;
}

import { create } from 'zustand';
import type { ErrorEnvelope } from '../../../../shared/errors.js';
import { VOLUME_PRESETS, type VolumePreset } from '../../../../shared/media.js';
import type { Job, ModelRow } from '../../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../../client';
import { isoDate, parseSize } from '../../lib/format';
import { foldersSettled } from '../../lib/pendingFolders';
import { useJobs } from '../jobs/jobsStore';

export const EXPORT_STEPS = ['What to carry', 'Media', 'Build', 'Done'] as const;
export type ExportStep = 0 | 1 | 2 | 3;
export type MediaChoice = VolumePreset | 'custom';

interface ExportState {
  step: ExportStep;
  store: string;
  /** The default store was offered once; an emptied field stays empty. */
  storeDefaulted: boolean;
  models: ModelRow[];
  /** The store the models were read from. */
  loadedStore: string | null;
  modelsLoading: boolean;
  modelsError: ErrorEnvelope | null;
  selected: string[];
  media: MediaChoice;
  customSize: string;
  destination: string;
  name: string;
  licencesRead: boolean;
  jobId: string | null;
  starting: boolean;
  startError: ErrorEnvelope | null;

  setStep: (step: ExportStep) => void;
  setStore: (store: string) => void;
  offerDefaultStore: (store: string) => void;
  loadModels: () => Promise<void>;
  toggle: (name: string) => void;
  setSelected: (names: string[]) => void;
  update: (patch: Partial<Pick<ExportState, 'media' | 'customSize' | 'destination' | 'name' | 'licencesRead'>>) => void;
  start: () => Promise<void>;
  attachJob: (job: Job) => void;
  /** After a failed or cancelled build: back to Media with every choice kept. */
  backToMedia: () => void;
  reset: () => void;
}

const initial = () => ({
  step: 0 as ExportStep,
  models: [] as ModelRow[],
  loadedStore: null as string | null,
  modelsLoading: false,
  modelsError: null as ErrorEnvelope | null,
  selected: [] as string[],
  media: 'fat32' as MediaChoice,
  customSize: '',
  destination: '',
  name: `models-${isoDate()}`,
  licencesRead: false,
  jobId: null as string | null,
  starting: false,
  startError: null as ErrorEnvelope | null,
});

/** The volume size in bytes for the current media choice, or the reason there is none. */
export function volumeSizeOf(media: MediaChoice, customSize: string): { bytes: number } | { error: string } {
  if (media === 'custom') return parseSize(customSize);
  return { bytes: VOLUME_PRESETS[media].bytes };
}

let loadSeq = 0;

/** The Export wizard: what to carry, the media, the build job. Survives leaving the page. */
export const useExport = create<ExportState>((set, get) => ({
  ...initial(),
  store: '',
  storeDefaulted: false,

  setStep: (step) => set({ step }),
  setStore: (store) => set({ store, storeDefaulted: true }),
  offerDefaultStore: (store) => {
    if (!get().storeDefaulted) set({ store, storeDefaulted: true });
  },

  loadModels: async () => {
    const store = get().store.trim();
    const mine = ++loadSeq;
    if (!store) {
      set({ models: [], loadedStore: null, modelsError: null, modelsLoading: false });
      return;
    }
    set({ modelsLoading: true });
    try {
      const result = await ferry().call('ollama.list', { store });
      if (mine !== loadSeq) return;
      const names = new Set(result.models.map((m) => m.name));
      set((s) => ({
        models: result.models,
        loadedStore: store,
        modelsError: null,
        modelsLoading: false,
        selected: s.selected.filter((n) => names.has(n)),
      }));
    } catch (err) {
      if (mine !== loadSeq) return;
      set({ models: [], loadedStore: store, modelsError: toErrorEnvelope(err), modelsLoading: false, selected: [] });
    }
  },

  toggle: (name) =>
    set((s) => ({ selected: s.selected.includes(name) ? s.selected.filter((n) => n !== name) : [...s.selected, name], licencesRead: false })),
  setSelected: (names) => set({ selected: names, licencesRead: false }),
  update: (patch) => set(patch),

  start: async () => {
    const before = get().destination;
    await foldersSettled();
    const s = get();
    // The destination changed as the click landed: let the free-space check run again first.
    if (s.destination !== before) return;
    const size = volumeSizeOf(s.media, s.customSize);
    if ('error' in size || !s.loadedStore) return;
    set({ starting: true, startError: null });
    try {
      const job = await ferry().call('export.start', {
        store: s.loadedStore,
        models: s.selected,
        volumeSize: size.bytes,
        destination: s.destination.trim(),
        name: s.name.trim(),
      });
      useJobs.getState().upsert(job);
      set({ jobId: job.id, step: 2, starting: false });
    } catch (err) {
      set({ startError: toErrorEnvelope(err), starting: false });
    }
  },

  attachJob: (job) => {
    const request = job.request as { store?: string; models?: string[]; destination?: string; name?: string };
    set({
      jobId: job.id,
      step: job.state === 'completed' ? 3 : 2,
      ...(request.store ? { store: request.store } : {}),
      ...(request.models ? { selected: request.models } : {}),
      ...(request.destination ? { destination: request.destination } : {}),
      ...(request.name ? { name: request.name } : {}),
    });
  },

  backToMedia: () => set({ step: 1, jobId: null, startError: null }),

  reset: () => set({ ...initial(), store: get().store }),
}));

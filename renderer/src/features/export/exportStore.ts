import { create } from 'zustand';
import type { ErrorEnvelope } from '../../../../shared/errors.js';
import { VOLUME_PRESETS, type VolumePreset } from '../../../../shared/media.js';
import type { ExportRequest, Job, ModelRow, ResolvedReference } from '../../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../../client';
import { isoDate, parseSize } from '../../lib/format';
import { foldersSettled } from '../../lib/pendingFolders';
import { useAppInfo } from '../../shell/appInfoStore';
import { useJobs } from '../jobs/jobsStore';
import { EMPTY_ACCESS, fromAccess, type AccessForm } from '../registry/access';
import { COMMON_PLATFORMS, parsePlatforms, referenceRequest, resolutionKey, type Resolution } from './references';

export const EXPORT_STEPS = ['What to carry', 'Media', 'Build', 'Done'] as const;
export type ExportStep = 0 | 1 | 2 | 3;
export type MediaChoice = VolumePreset | 'custom';
export type CarryTab = 'models' | 'images';

/** The Images & charts tab's inputs. */
export type ReferenceFields = Pick<ExportState, 'imagesText' | 'chartsText' | 'tickedPlatforms' | 'otherPlatforms'>;

const RESOLVE_BATCH = 200;

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
  tab: CarryTab;
  imagesText: string;
  chartsText: string;
  tickedPlatforms: string[];
  otherPlatforms: string;
  access: AccessForm;
  resolution: Resolution | null;
  resolving: boolean;
  resolveError: ErrorEnvelope | null;
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
  setTab: (tab: CarryTab) => void;
  updateReferences: (patch: Partial<ReferenceFields>) => void;
  updateAccess: (patch: Partial<AccessForm>) => void;
  /** Resolves the typed images and charts on their registries (registry.resolve). */
  resolve: () => Promise<void>;
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
  tab: 'models' as CarryTab,
  imagesText: '',
  chartsText: '',
  tickedPlatforms: [] as string[],
  otherPlatforms: '',
  access: EMPTY_ACCESS,
  resolution: null as Resolution | null,
  resolving: false,
  resolveError: null as ErrorEnvelope | null,
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

/** The store the request names: the one read, else the field's or the app's default (both granted). Unread when no model is chosen. */
export function requestStore(s: Pick<ExportState, 'loadedStore' | 'store'>): string {
  return s.loadedStore ?? (s.store.trim() || useAppInfo.getState().info?.defaultOllamaStore || '');
}

/** Everything export.estimate and export.start share: the store, the models and the references. */
export function carryRequest(s: ExportState): Pick<ExportRequest, 'store' | 'models' | 'images' | 'charts' | 'platforms' | 'registry'> {
  const store = s.selected.length > 0 ? requestStore(s) : '';
  return { ...(store ? { store } : {}), models: s.selected, ...referenceRequest(s) };
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
  setTab: (tab) => set({ tab }),
  updateReferences: (patch) => set(patch),
  updateAccess: (patch) => set((s) => ({ access: { ...s.access, ...patch } })),

  resolve: async () => {
    const s = get();
    const parsed = parsePlatforms(s.tickedPlatforms, s.otherPlatforms);
    if ('error' in parsed) return;
    const request = referenceRequest(s);
    const refs = [...request.images.map((ref) => ({ ref, kind: 'image' as const })), ...request.charts.map((ref) => ({ ref, kind: 'helm-chart' as const }))];
    if (refs.length === 0) return;
    const key = resolutionKey(s);
    set({ resolving: true, resolveError: null });
    try {
      const items: ResolvedReference[] = [];
      for (let i = 0; i < refs.length; i += RESOLVE_BATCH) {
        const answer = await ferry().call('registry.resolve', { refs: refs.slice(i, i + RESOLVE_BATCH), platforms: request.platforms, ...(request.registry ? { access: request.registry } : {}) });
        items.push(...answer.items);
      }
      set({ resolution: { key, items }, resolving: false });
    } catch (err) {
      set({ resolveError: toErrorEnvelope(err), resolving: false });
    }
  },

  start: async () => {
    const before = get().destination;
    await foldersSettled();
    const s = get();
    // The destination changed as the click landed: let the free-space check run again first.
    if (s.destination !== before) return;
    const size = volumeSizeOf(s.media, s.customSize);
    const carried = carryRequest(s);
    if ('error' in size) return;
    set({ starting: true, startError: null });
    try {
      const job = await ferry().call('export.start', {
        ...carried,
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
    const request = job.request as Partial<ExportRequest>;
    const platforms = request.platforms ?? [];
    set({
      jobId: job.id,
      step: job.state === 'completed' ? 3 : 2,
      ...(request.store ? { store: request.store } : {}),
      ...(request.models ? { selected: request.models } : {}),
      imagesText: (request.images ?? []).join('\n'),
      chartsText: (request.charts ?? []).join('\n'),
      tickedPlatforms: platforms.filter((p) => (COMMON_PLATFORMS as readonly string[]).includes(p)),
      otherPlatforms: platforms.filter((p) => !(COMMON_PLATFORMS as readonly string[]).includes(p)).join(' '),
      access: fromAccess(request.registry),
      resolution: null,
      ...(request.destination ? { destination: request.destination } : {}),
      ...(request.name ? { name: request.name } : {}),
    });
  },

  backToMedia: () => set({ step: 1, jobId: null, startError: null }),

  reset: () => set({ ...initial(), store: get().store }),
}));

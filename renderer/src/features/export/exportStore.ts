import { create } from 'zustand';
import type { ErrorEnvelope } from '../../../../shared/errors.js';
import { VOLUME_PRESETS, type VolumePreset } from '../../../../shared/media.js';
import type {
  ApprovalRequestInfo,
  ExportRequest,
  HfRepoRow,
  Job,
  MediaType,
  MediaVerifyRequest,
  ModelRow,
  ResolvedReference,
  UnavailableModelRow,
} from '../../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../../client';
import type { PickedEntry } from '../../components/FileBrowserDialog';
import { isoDate, parseSize } from '../../lib/format';
import { foldersSettled } from '../../lib/pendingFolders';
import { useAppInfo } from '../../shell/appInfoStore';
import { addPicked, entriesOf } from '../files/pickedFiles';
import { revisionSpec } from '../hf/revisions';
import { useJobs } from '../jobs/jobsStore';
import { EMPTY_MEDIA_FORM, mediaVerifyResultOf, type MediaFormValue, type VerifiedMedium } from '../media/mediaTypes';
import { EMPTY_ACCESS, fromAccess, type AccessForm } from '../registry/access';
import { COMMON_PLATFORMS, parsePlatforms, referenceRequest, resolutionKey, type Resolution } from './references';

export type ExportStep = 'carry' | 'media' | 'approval' | 'build' | 'verify' | 'done';

export const STEP_LABELS: Record<ExportStep, string> = {
  carry: 'What to carry',
  media: 'Media',
  approval: 'Approval',
  build: 'Build',
  verify: 'Verify media',
  done: 'Done',
};

/** The wizard's steps: Approval only under the two-person rule. */
export function exportSteps(twoPersonRule: boolean): ExportStep[] {
  return twoPersonRule ? ['carry', 'media', 'approval', 'build', 'verify', 'done'] : ['carry', 'media', 'build', 'verify', 'done'];
}

/** Whether exports wait for a second person's approval (app.info). */
export function twoPersonRuleOn(): boolean {
  return useAppInfo.getState().info?.twoPersonRule === true;
}
export type MediaChoice = VolumePreset | 'custom';
export type CarryTab = 'models' | 'hf' | 'images' | 'files';

/** The Images & charts tab's inputs. */
export type ReferenceFields = Pick<ExportState, 'imagesText' | 'chartsText' | 'tickedPlatforms' | 'otherPlatforms'>;

const RESOLVE_BATCH = 200;

interface ExportState {
  step: ExportStep;
  store: string;
  /** The default store was offered once; an emptied field stays empty. */
  storeDefaulted: boolean;
  models: ModelRow[];
  /** Broken and cloud models in the store: shown with why, never selectable. */
  unavailable: UnavailableModelRow[];
  /** The store the models were read from. */
  loadedStore: string | null;
  modelsLoading: boolean;
  modelsError: ErrorEnvelope | null;
  selected: string[];
  hfCache: string;
  /** The default cache was offered once; an emptied field stays empty. */
  hfCacheDefaulted: boolean;
  hfRepos: HfRepoRow[];
  /** The cache the repos were read from. */
  loadedHfCache: string | null;
  hfLoading: boolean;
  hfError: ErrorEnvelope | null;
  /** Ticked revisions as export takes them: `spec@ref` or `spec@commit`. */
  hfSelected: string[];
  files: PickedEntry[];
  /** Picked paths not added, and why. */
  filesRefused: string[];
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
  /** The approval request for the current choices (two-person rule), as the engine recorded it. */
  approval: ApprovalRequestInfo | null;
  /** The request (exportRequestKey) the approval was asked for; any other request drops it. */
  approvalKey: string | null;
  /** The choices changed after an approval was requested, so it was dropped. */
  approvalDropped: boolean;
  requesting: boolean;
  requestError: ErrorEnvelope | null;
  /** The Verify media step: the medium being typed, its read-back job, the media verified so far. */
  mediaForm: MediaFormValue;
  mediaJobId: string | null;
  verifiedMedia: VerifiedMedium[];
  /** Done was reached with "Skip (record later)". */
  mediaSkipped: boolean;

  setStep: (step: ExportStep) => void;
  setStore: (store: string) => void;
  offerDefaultStore: (store: string) => void;
  loadModels: () => Promise<void>;
  toggle: (name: string) => void;
  setSelected: (names: string[]) => void;
  setHfCache: (cache: string) => void;
  offerDefaultHfCache: (cache: string) => void;
  loadHfRepos: () => Promise<void>;
  toggleHf: (spec: string) => void;
  addFiles: (entries: PickedEntry[]) => void;
  removeFile: (path: string) => void;
  setTab: (tab: CarryTab) => void;
  updateReferences: (patch: Partial<ReferenceFields>) => void;
  updateAccess: (patch: Partial<AccessForm>) => void;
  /** Resolves the typed images and charts on their registries (registry.resolve). */
  resolve: () => Promise<void>;
  update: (patch: Partial<Pick<ExportState, 'media' | 'customSize' | 'destination' | 'name' | 'licencesRead'>>) => void;
  /** Media → Approval (two-person rule), once the folder fields settled on the same destination. */
  toApproval: () => Promise<void>;
  /** Records export.requested (approval.request) with exactly what export.start would send. */
  requestApproval: () => Promise<void>;
  /** The engine's newer word on the current approval (a decision, here or elsewhere). */
  setApproval: (info: ApprovalRequestInfo) => void;
  /** After a rejection: back to the first step; a new request is needed. */
  backToCarry: () => void;
  start: () => Promise<void>;
  attachJob: (job: Job) => void;
  /** Shows a media read-back job (opened from Home) on the Verify media step. */
  attachMediaJob: (job: Job) => void;
  updateMediaForm: (patch: Partial<MediaFormValue>) => void;
  setMediaJob: (id: string | null) => void;
  /** Keeps a finished read-back in the list of media verified so far (once per job). */
  recordMedium: (medium: VerifiedMedium) => void;
  /** Clears the form (keeping the media type and folder) for the next medium. */
  anotherMedium: () => void;
  finishMedia: (skipped: boolean) => void;
  /** After a failed or cancelled build: back to Media with every choice kept. */
  backToMedia: () => void;
  reset: () => void;
}

const initial = () => ({
  step: 'carry' as ExportStep,
  models: [] as ModelRow[],
  unavailable: [] as UnavailableModelRow[],
  loadedStore: null as string | null,
  modelsLoading: false,
  modelsError: null as ErrorEnvelope | null,
  selected: [] as string[],
  hfRepos: [] as HfRepoRow[],
  loadedHfCache: null as string | null,
  hfLoading: false,
  hfError: null as ErrorEnvelope | null,
  hfSelected: [] as string[],
  files: [] as PickedEntry[],
  filesRefused: [] as string[],
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
  ...initialApproval(),
  ...initialMedia(),
});

const initialApproval = () => ({
  approval: null as ApprovalRequestInfo | null,
  approvalKey: null as string | null,
  approvalDropped: false,
  requesting: false,
  requestError: null as ErrorEnvelope | null,
});

const initialMedia = () => ({
  mediaForm: EMPTY_MEDIA_FORM,
  mediaJobId: null as string | null,
  verifiedMedia: [] as VerifiedMedium[],
  mediaSkipped: false,
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

/** The cache the request names: the one read, else the field's or the app's default. */
export function requestHfCache(s: Pick<ExportState, 'loadedHfCache' | 'hfCache'>): string {
  return s.loadedHfCache ?? (s.hfCache.trim() || useAppInfo.getState().info?.defaultHfCache || '');
}

type CarryFields = 'store' | 'models' | 'images' | 'charts' | 'platforms' | 'registry' | 'hfCache' | 'hf' | 'files';

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
  return { request: { ...carryRequest(s), volumeSize: size.bytes, destination, name: s.name.trim() } };
}

/** Identifies a request: an approval answers exactly one. */
export function exportRequestKey(s: ExportState): string {
  const r = exportRequest(s);
  return 'request' in r ? JSON.stringify(r.request) : `none: ${r.error}`;
}

/** The disc type a volume preset suggests for the media record; the others are left for the user to say. */
const PRESET_MEDIA_TYPE: Partial<Record<MediaChoice, MediaType>> = { dvd: 'dvd-r', 'dvd-dl': 'dvd-r-dl', bd25: 'bd-r', bd50: 'bd-r', bd100: 'bd-r' };

let loadSeq = 0;
let hfLoadSeq = 0;

/** The Export wizard: what to carry, the media, the build job. Survives leaving the page. */
export const useExport = create<ExportState>((set, get) => ({
  ...initial(),
  store: '',
  storeDefaulted: false,
  hfCache: '',
  hfCacheDefaulted: false,

  setStep: (step) => set({ step }),
  setStore: (store) => set({ store, storeDefaulted: true }),
  offerDefaultStore: (store) => {
    if (!get().storeDefaulted) set({ store, storeDefaulted: true });
  },

  loadModels: async () => {
    const store = get().store.trim();
    const mine = ++loadSeq;
    if (!store) {
      set({ models: [], unavailable: [], loadedStore: null, modelsError: null, modelsLoading: false });
      return;
    }
    set({ modelsLoading: true });
    try {
      const result = await ferry().call('ollama.list', { store });
      if (mine !== loadSeq) return;
      const names = new Set(result.models.map((m) => m.name));
      set((s) => ({
        models: result.models,
        unavailable: result.unavailable,
        loadedStore: store,
        modelsError: null,
        modelsLoading: false,
        selected: s.selected.filter((n) => names.has(n)),
      }));
    } catch (err) {
      if (mine !== loadSeq) return;
      set({ models: [], unavailable: [], loadedStore: store, modelsError: toErrorEnvelope(err), modelsLoading: false, selected: [] });
    }
  },

  toggle: (name) => set((s) => ({ selected: s.selected.includes(name) ? s.selected.filter((n) => n !== name) : [...s.selected, name], licencesRead: false })),
  setSelected: (names) => set({ selected: names, licencesRead: false }),

  setHfCache: (hfCache) => set({ hfCache, hfCacheDefaulted: true }),
  offerDefaultHfCache: (hfCache) => {
    if (!get().hfCacheDefaulted) set({ hfCache, hfCacheDefaulted: true });
  },
  loadHfRepos: async () => {
    const cache = get().hfCache.trim();
    const mine = ++hfLoadSeq;
    if (!cache) {
      set({ hfRepos: [], loadedHfCache: null, hfError: null, hfLoading: false });
      return;
    }
    set({ hfLoading: true });
    try {
      const result = await ferry().call('hf.list', { cache });
      if (mine !== hfLoadSeq) return;
      const specs = new Set(result.repos.flatMap((repo) => repo.revisions.map((r) => revisionSpec(repo, r))));
      set((s) => ({
        hfRepos: result.repos,
        loadedHfCache: cache,
        hfError: null,
        hfLoading: false,
        hfSelected: s.hfSelected.filter((spec) => specs.has(spec)),
      }));
    } catch (err) {
      if (mine !== hfLoadSeq) return;
      set({ hfRepos: [], loadedHfCache: cache, hfError: toErrorEnvelope(err), hfLoading: false, hfSelected: [] });
    }
  },
  toggleHf: (spec) => set((s) => ({ hfSelected: s.hfSelected.includes(spec) ? s.hfSelected.filter((x) => x !== spec) : [...s.hfSelected, spec] })),
  addFiles: (entries) =>
    set((s) => {
      const { list, refused } = addPicked(s.files, entries);
      return { files: list, filesRefused: refused };
    }),
  removeFile: (path) => set((s) => ({ files: s.files.filter((f) => f.path !== path), filesRefused: [] })),
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
        const answer = await ferry().call('registry.resolve', {
          refs: refs.slice(i, i + RESOLVE_BATCH),
          platforms: request.platforms,
          ...(request.registry ? { access: request.registry } : {}),
        });
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
    const built = exportRequest(s);
    if ('error' in built) return;
    // Under the two-person rule the export carries out the approved request, and only that one.
    const approved = twoPersonRuleOn() && s.approval?.state === 'approved' && s.approvalKey === exportRequestKey(s) ? s.approval.id : undefined;
    set({ starting: true, startError: null });
    try {
      const job = await ferry().call('export.start', { ...built.request, ...(approved ? { approval: approved } : {}) });
      useJobs.getState().upsert(job);
      set({ jobId: job.id, step: 'build', starting: false, ...initialMedia(), mediaForm: { ...EMPTY_MEDIA_FORM, type: PRESET_MEDIA_TYPE[s.media] ?? '' } });
    } catch (err) {
      set({ startError: toErrorEnvelope(err), starting: false });
    }
  },

  toApproval: async () => {
    const before = get().destination;
    await foldersSettled();
    if (get().destination !== before) return;
    set({ step: 'approval', startError: null });
  },

  requestApproval: async () => {
    const s = get();
    const built = exportRequest(s);
    if ('error' in built) {
      set({ requestError: { code: 'USAGE', message: `${built.error} Go back to Media to fix it.` } });
      return;
    }
    const key = exportRequestKey(s);
    set({ requesting: true, requestError: null });
    try {
      const approval = await ferry().call('approval.request', built.request);
      // The choices changed while the request was on its way: it answers the old ones.
      if (exportRequestKey(get()) !== key) {
        set({ requesting: false, approval: null, approvalKey: null, approvalDropped: true });
        return;
      }
      set({ approval, approvalKey: key, approvalDropped: false, requesting: false });
    } catch (err) {
      set({ requestError: toErrorEnvelope(err), requesting: false });
    }
  },

  setApproval: (info) => {
    if (get().approval?.id === info.id) set({ approval: info });
  },

  backToCarry: () => set({ step: 'carry', ...initialApproval(), startError: null }),

  attachJob: (job) => {
    const request = job.request as Partial<ExportRequest>;
    const platforms = request.platforms ?? [];
    const same = get().jobId === job.id;
    set({
      jobId: job.id,
      step: job.state === 'completed' ? (same ? get().step : 'verify') : 'build',
      ...(same ? {} : { ...initialApproval(), ...initialMedia() }),
      ...(request.store ? { store: request.store } : {}),
      ...(request.models ? { selected: request.models } : {}),
      ...(request.hfCache ? { hfCache: request.hfCache, hfCacheDefaulted: true } : {}),
      hfSelected: request.hf ?? [],
      files: entriesOf(request.files ?? []),
      filesRefused: [],
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

  attachMediaJob: (job) => {
    const request = job.request as Partial<MediaVerifyRequest>;
    const media = request.media;
    set({
      step: 'verify',
      mediaJobId: job.id,
      mediaSkipped: false,
      ...(media ? { mediaForm: { id: media.id, label: media.label, type: media.type, seal: media.seal ?? '', dir: request.dir ?? null } } : {}),
    });
  },

  updateMediaForm: (patch) => set((s) => ({ mediaForm: { ...s.mediaForm, ...patch } })),
  setMediaJob: (id) => set({ mediaJobId: id }),
  recordMedium: (medium) => set((s) => (s.verifiedMedia.some((m) => m.jobId === medium.jobId) ? s : { verifiedMedia: [...s.verifiedMedia, medium] })),
  anotherMedium: () => set((s) => ({ mediaJobId: null, mediaForm: { ...EMPTY_MEDIA_FORM, type: s.mediaForm.type, dir: s.mediaForm.dir } })),
  finishMedia: (skipped) => set({ step: 'done', mediaSkipped: skipped }),

  backToMedia: () => set({ step: 'media', jobId: null, startError: null }),

  reset: () => set({ ...initial(), store: get().store, hfCache: get().hfCache }),
}));

/**
 * An approval answers one request: when the choices change (what to carry, the media, the
 * destination, the name), the approval no longer applies and a new request is needed.
 */
useExport.subscribe((s) => {
  if (s.approval && s.approvalKey !== exportRequestKey(s)) useExport.setState({ approval: null, approvalKey: null, approvalDropped: true, requestError: null });
});

/** A read-back job that finished is kept in the list, whichever page is open when it ends. */
useJobs.subscribe((jobs) => {
  const { mediaJobId, recordMedium } = useExport.getState();
  const job = mediaJobId ? jobs.jobs[mediaJobId] : undefined;
  const result = mediaVerifyResultOf(job);
  if (job && job.state === 'completed' && result) recordMedium({ jobId: job.id, result });
});

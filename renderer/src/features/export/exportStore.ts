import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { ErrorEnvelope } from '../../../../shared/errors.js';
import type { ApprovalRequestInfo, MediaType, ResolvedReference } from '../../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../../client';
import type { PickedEntry } from '../../components/FileBrowserDialog';
import { isoDate } from '../../lib/format';
import { addPicked, entriesOf } from './files/pickedFiles';
import { onJobsChanged, upsertJob } from '../../domain/jobs/jobs';
import { EMPTY_MEDIA_FORM, mediaVerifyResultOf, type VerifiedMedium } from '../../domain/media/mediaTypes';
import { EMPTY_ACCESS, fromAccess } from '../../domain/registry/access';
import { COMMON_PLATFORMS, parsePlatforms, referenceRequest, resolutionKey, type Resolution } from './references';
import { exportRequest, exportRequestKey } from './exportRequest';
import { twoPersonRuleOn, type CarryTab, type ExportState, type ExportStep, type MediaChoice } from './exportState';

const RESOLVE_BATCH = 200;

const initial = () => ({
  step: 'carry' as ExportStep,
  selected: [] as string[],
  hfSelected: [] as string[],
  files: [] as PickedEntry[],
  filesRefused: [] as string[],
  tab: 'models' as CarryTab,
  imagesText: '',
  chartsText: '',
  tickedPlatforms: [] as string[],
  otherPlatforms: '',
  leaveSignatures: false,
  access: EMPTY_ACCESS,
  resolution: null as Resolution | null,
  resolving: false,
  resolveError: null as ErrorEnvelope | null,
  media: 'fat32' as MediaChoice,
  customSize: '',
  discLayout: false,
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

/** The disc type a volume preset suggests for the media record; the others are left for the user to say. */
const PRESET_MEDIA_TYPE: Partial<Record<MediaChoice, MediaType>> = { dvd: 'dvd-r', 'dvd-dl': 'dvd-r-dl', bd25: 'bd-r', bd50: 'bd-r', bd100: 'bd-r' };

/** The Export wizard: what to carry, the media, the build job. Survives leaving the page. */
/**
 * What a page reload keeps of the wizard (this tab's sessionStorage): the step, what was picked and
 * how it is carried, the jobs; not an answer in flight or a pending error.
 */
const KEPT_ON_RELOAD = [
  'step',
  'selected',
  'hfSelected',
  'files',
  'tab',
  'imagesText',
  'chartsText',
  'tickedPlatforms',
  'otherPlatforms',
  'leaveSignatures',
  'access',
  'resolution',
  'media',
  'customSize',
  'discLayout',
  'destination',
  'name',
  'licencesRead',
  'jobId',
  'approval',
  'approvalKey',
  'mediaForm',
  'mediaJobId',
  'verifiedMedia',
  'mediaSkipped',
  'store',
  'storeDefaulted',
  'hfCache',
  'hfCacheDefaulted',
] as const;

function keptOnReload(s: ExportState) {
  return Object.fromEntries(KEPT_ON_RELOAD.map((key) => [key, s[key]])) as Partial<ExportState>;
}

export const useExport = create<ExportState>()(
  persist(
    (set, get) => ({
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

      keepSelectedIn: (names) => set((s) => (s.selected.every((n) => names.has(n)) ? s : { selected: s.selected.filter((n) => names.has(n)) })),

      toggle: (name) =>
        set((s) => ({ selected: s.selected.includes(name) ? s.selected.filter((n) => n !== name) : [...s.selected, name], licencesRead: false })),
      setSelected: (names) => set({ selected: names, licencesRead: false }),

      setHfCache: (hfCache) => set({ hfCache, hfCacheDefaulted: true }),
      offerDefaultHfCache: (hfCache) => {
        if (!get().hfCacheDefaulted) set({ hfCache, hfCacheDefaulted: true });
      },
      keepHfSelectedIn: (specs) =>
        set((s) => (s.hfSelected.every((spec) => specs.has(spec)) ? s : { hfSelected: s.hfSelected.filter((spec) => specs.has(spec)) })),
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
        const refs = [
          ...request.images.map((ref) => ({ ref, kind: 'image' as const })),
          ...request.charts.map((ref) => ({ ref, kind: 'helm-chart' as const })),
        ];
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
              ...(request.signatures === false ? { signatures: false } : {}),
            });
            items.push(...answer.items);
          }
          set({ resolution: { key, items }, resolving: false });
        } catch (err) {
          set({ resolveError: toErrorEnvelope(err), resolving: false });
        }
      },

      start: async () => {
        const s = get();
        const built = exportRequest(s);
        if ('error' in built) return;
        // Under the two-person rule the export carries out the approved request, and only that one.
        const approved = twoPersonRuleOn() && s.approval?.status === 'approved' && s.approvalKey === exportRequestKey(s) ? s.approval.id : undefined;
        set({ starting: true, startError: null });
        try {
          const job = await ferry().call('export.start', { ...built.request, ...(approved ? { approval: approved } : {}) });
          upsertJob(job);
          set({ jobId: job.id, step: 'build', starting: false, ...initialMedia(), mediaForm: { ...EMPTY_MEDIA_FORM, type: PRESET_MEDIA_TYPE[s.media] ?? '' } });
        } catch (err) {
          set({ startError: toErrorEnvelope(err), starting: false });
        }
      },

      toApproval: () => set({ step: 'approval', startError: null }),

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
        const request = job.request;
        const platforms = request.platforms;
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
          leaveSignatures: request.signatures === false,
          access: fromAccess(request.registry),
          resolution: null,
          ...(request.destination ? { destination: request.destination } : {}),
          ...(request.name ? { name: request.name } : {}),
        });
      },

      attachMediaJob: (job) => {
        const request = job.request;
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
    }),
    { name: 'ferry.export-wizard', storage: createJSONStorage(() => sessionStorage), partialize: keptOnReload },
  ),
);

/**
 * An approval answers one request: when the choices change (what to carry, the media, the
 * destination, the name), the approval no longer applies and a new request is needed.
 */
useExport.subscribe((s) => {
  if (s.approval && s.approvalKey !== exportRequestKey(s)) useExport.setState({ approval: null, approvalKey: null, approvalDropped: true, requestError: null });
});

/** A read-back job that finished is kept in the list, whichever page is open when it ends. */
onJobsChanged((jobs) => {
  const { mediaJobId, recordMedium } = useExport.getState();
  const job = mediaJobId ? jobs[mediaJobId] : undefined;
  const result = mediaVerifyResultOf(job);
  if (job && job.state === 'completed' && result) recordMedium({ jobId: job.id, result });
});

import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { ArtifactKind } from '../../../../shared/bundle.js';
import type { RegistryLogin } from '../../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../../client';
import { upsertJob } from '../../domain/jobs/jobs';
import { EMPTY_ACCESS, fromAccess, toAccess } from '../../domain/registry/access';
import { keptOnReload, NO_DISC_MEDIUM, type ImportState, type RegistryForm } from './importState';

export { IMPORT_STEPS, type BundleSource, type ConnectionTest, type ImportStep, type RegistryForm } from './importState';

export function loginOf(form: RegistryForm): RegistryLogin | undefined {
  return form.username.trim() && form.password ? { username: form.username.trim(), password: form.password } : undefined;
}

/** Half a login is a mistake worth saying, not something to send. */
export function loginProblem(form: RegistryForm): string | null {
  if (Boolean(form.username.trim()) === Boolean(form.password)) return null;
  return form.password ? 'Give the username too.' : 'Give the password too.';
}

const NO_TEST = { test: null, testError: null } as const;

/** The local folders the request names: each ticked target whose kind the bundle carries (all, before the bundle is known). */
export function localTargets(s: Pick<ImportState, 'carried' | 'toStore' | 'toHfCache' | 'toDir' | 'store' | 'hfCache' | 'filesDir'>) {
  const wanted = (on: boolean, kind: ArtifactKind, dir: string) => (on && (s.carried.length === 0 || s.carried.includes(kind)) ? dir.trim() : '');
  return {
    store: wanted(s.toStore, 'ollama-model', s.store),
    hfCache: wanted(s.toHfCache, 'hf-repo', s.hfCache),
    filesDir: wanted(s.toDir, 'files', s.filesDir),
  };
}

/** The Import wizard: bundle folder → verification → targets → run → done. */
export const useImport = create<ImportState>()(
  persist(
    (set, get) => {
      /** registry.test with the form as it is; records the answer, throws the engine's error. */
      async function runTest(remember: boolean): Promise<void> {
        const { registry, access } = get();
        const login = loginOf(registry);
        const accessParam = toAccess(access);
        set({ testing: true, testError: null });
        try {
          const result = await ferry().call('registry.test', {
            target: registry.target.trim(),
            ...(accessParam ? { access: accessParam } : {}),
            ...(login ? { login, remember: remember && registry.remember } : {}),
          });
          set({ test: { result, loginGiven: Boolean(login), remembered: Boolean(login && remember && registry.remember) }, testing: false });
        } catch (err) {
          set({ test: null, testError: toErrorEnvelope(err), testing: false });
          throw err;
        }
      }

      return {
        step: 0,
        source: 'folder',
        dir: '',
        verifyJobId: null,
        override: null,
        disc: '',
        discMedium: NO_DISC_MEDIUM,
        staging: '',
        stageJobIds: [],
        stageBusy: false,
        stageStartError: null,
        store: '',
        storeDefaulted: false,
        hfCache: '',
        hfCacheDefaulted: false,
        filesDir: '',
        carried: [],
        toStore: true,
        toHfCache: false,
        toDir: false,
        toRegistry: false,
        targetsOfferedFor: null,
        registry: { target: '', username: '', password: '', remember: false },
        access: EMPTY_ACCESS,
        test: null,
        testing: false,
        testError: null,
        importJobId: null,
        busy: false,
        startError: null,

        setStep: (step) => set({ step }),
        setSource: (source) => set({ source }),
        setDir: (dir) => set((s) => (dir === s.dir ? s : { dir, override: null })),
        setOverride: (override) => set({ override }),
        setDisc: (disc) => set({ disc }),
        setDiscMedium: (discMedium) => set({ discMedium }),
        setStaging: (staging) => set((s) => (staging === s.staging ? s : { staging, stageJobIds: [], stageStartError: null })),
        copyDisc: async () => {
          const from = get().disc.trim();
          const to = get().staging.trim();
          if (!from || !to) return;
          set({ stageBusy: true, stageStartError: null });
          try {
            const { id, label, seal } = get().discMedium;
            const medium = id.trim()
              ? { id: id.trim(), ...(label.trim() ? { label: label.trim() } : {}), ...(seal.trim() ? { seal: seal.trim() } : {}) }
              : undefined;
            const job = await ferry().call('import.stage', { from, to, ...(medium ? { medium } : {}) });
            upsertJob(job);
            set((s) => ({ stageJobIds: [...s.stageJobIds, job.id], stageBusy: false, discMedium: NO_DISC_MEDIUM }));
          } catch (err) {
            set({ stageStartError: toErrorEnvelope(err), stageBusy: false });
          }
        },
        verifyStaged: async () => {
          set((s) => ({ dir: s.staging }));
          await get().verify();
        },
        setStore: (store) => set({ store, storeDefaulted: true }),
        offerDefaultStore: (store) => {
          if (!get().storeDefaulted) set({ store, storeDefaulted: true });
        },
        setHfCache: (hfCache) => set({ hfCache, hfCacheDefaulted: true }),
        offerDefaultHfCache: (hfCache) => {
          if (!get().hfCacheDefaulted) set({ hfCache, hfCacheDefaulted: true });
        },
        setFilesDir: (filesDir) => set({ filesDir }),
        offerTargets: (verifyJobId, kinds) => {
          if (get().targetsOfferedFor === verifyJobId) return;
          set({
            targetsOfferedFor: verifyJobId,
            carried: kinds,
            toStore: kinds.includes('ollama-model'),
            toHfCache: kinds.includes('hf-repo'),
            toDir: kinds.includes('files'),
            toRegistry: kinds.includes('image') || kinds.includes('helm-chart'),
          });
        },
        setTargets: (patch) => set(patch),
        updateRegistry: (patch) => set((s) => ({ registry: { ...s.registry, ...patch }, ...NO_TEST })),
        updateAccess: (patch) => set((s) => ({ access: { ...s.access, ...patch }, ...NO_TEST })),
        testConnection: () => runTest(true).catch(() => undefined),
        forgetCredentials: async (registry) => {
          try {
            await ferry().call('registry.forget', { registry });
            set({ ...NO_TEST });
          } catch (err) {
            set({ testError: toErrorEnvelope(err) });
          }
        },

        verify: async (opts) => {
          const dir = get().dir.trim();
          if (!dir) return;
          set({ busy: true, startError: null, step: 0, verifyJobId: null, importJobId: null });
          try {
            const override = get().override;
            const job = await ferry().call('import.verify', { dir, ...(override ? { override } : {}), ...(opts?.readBack ? {} : { quick: true }) });
            upsertJob(job);
            set({ verifyJobId: job.id, busy: false });
          } catch (err) {
            set({ startError: toErrorEnvelope(err), busy: false });
          }
        },

        chooseAnother: () => set({ step: 0, verifyJobId: null, importJobId: null, startError: null }),

        startImport: async () => {
          const s = get();
          const { store, hfCache, filesDir } = localTargets(s);
          const target = s.toRegistry ? s.registry.target.trim() : '';
          if ((s.toRegistry && !target) || (!store && !hfCache && !filesDir && !target)) return;
          const login = target ? loginOf(s.registry) : undefined;
          const access = toAccess(s.access);
          set({ busy: true, startError: null });
          // import.start cannot remember credentials: a test with `remember` keeps them first; its failure shows where tests show.
          if (login && s.registry.remember && !s.test?.remembered) {
            try {
              await runTest(true);
            } catch {
              set({ busy: false });
              return;
            }
          }
          try {
            const job = await ferry().call('import.start', {
              request: {
                dir: s.dir.trim(),
                ...(s.override ? { override: s.override } : {}),
                ...(store ? { toOllamaStore: store } : {}),
                ...(hfCache ? { toHfCache: hfCache } : {}),
                ...(filesDir ? { toDir: filesDir } : {}),
                ...(target ? { toRegistry: { target, ...(access ? { access } : {}) } } : {}),
              },
              ...(login ? { login } : {}),
            });
            upsertJob(job);
            set({ importJobId: job.id, step: 3, busy: false });
          } catch (err) {
            set({ startError: toErrorEnvelope(err), busy: false });
          }
        },

        attachJob: (job) => {
          if (job.kind === 'stage') {
            const { from, to } = job.request;
            set((s) => ({
              step: 0,
              source: 'discs',
              disc: from,
              staging: to,
              stageJobIds: s.staging === to ? [...s.stageJobIds.filter((id) => id !== job.id), job.id] : [job.id],
            }));
          } else if (job.kind === 'verify') {
            set({ verifyJobId: job.id, importJobId: null, step: job.state === 'running' ? 0 : 1, dir: job.request.dir });
          } else {
            const request = job.request;
            set((s) => ({
              importJobId: job.id,
              step: job.state === 'completed' ? 4 : 3,
              dir: request.dir,
              carried: [],
              toStore: Boolean(request.toOllamaStore),
              toHfCache: Boolean(request.toHfCache),
              toDir: Boolean(request.toDir),
              toRegistry: Boolean(request.toRegistry),
              ...(request.toOllamaStore ? { store: request.toOllamaStore } : {}),
              ...(request.toHfCache ? { hfCache: request.toHfCache } : {}),
              ...(request.toDir ? { filesDir: request.toDir } : {}),
              ...(request.toRegistry
                ? { registry: { ...s.registry, target: request.toRegistry.target }, access: fromAccess(request.toRegistry.access), ...NO_TEST }
                : {}),
            }));
          }
        },

        reset: () =>
          set((s) => ({
            step: 0,
            dir: '',
            verifyJobId: null,
            importJobId: null,
            staging: '',
            stageJobIds: [],
            stageStartError: null,
            targetsOfferedFor: null,
            carried: [],
            busy: false,
            startError: null,
            registry: { ...s.registry, password: '' },
            ...NO_TEST,
          })),
      };
    },
    { name: 'ferry.import-wizard', storage: createJSONStorage(() => sessionStorage), partialize: keptOnReload },
  ),
);

/** Error codes that mean the bundle itself is refused (damaged, altered, unsigned, untrusted). */
export const REFUSAL_CODES: ReadonlySet<string> = new Set(['INTEGRITY', 'SIGNATURE', 'UNTRUSTED']);

import { create } from 'zustand';
import type { ErrorEnvelope } from '../../../../shared/errors.js';
import type { ImportRequest, Job, RegistryLogin, Result } from '../../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../../client';
import { foldersSettled } from '../../lib/pendingFolders';
import { useJobs } from '../jobs/jobsStore';
import { EMPTY_ACCESS, fromAccess, toAccess, type AccessForm } from '../registry/access';

export const IMPORT_STEPS = ['Bundle', 'Verify', 'Targets', 'Run', 'Done'] as const;
export type ImportStep = 0 | 1 | 2 | 3 | 4;

/** The registry target as typed. The password stays in this window's memory and goes only to registry.test and import.start. */
export interface RegistryForm {
  target: string;
  username: string;
  password: string;
  remember: boolean;
}

export interface ConnectionTest {
  result: Result<'registry.test'>;
  /** A username and password were sent with the test. */
  loginGiven: boolean;
  /** The engine was asked to keep them. */
  remembered: boolean;
}

interface ImportState {
  step: ImportStep;
  dir: string;
  verifyJobId: string | null;
  store: string;
  storeDefaulted: boolean;
  toStore: boolean;
  toRegistry: boolean;
  /** The verification whose contents chose the default targets. */
  targetsOfferedFor: string | null;
  registry: RegistryForm;
  access: AccessForm;
  test: ConnectionTest | null;
  testing: boolean;
  testError: ErrorEnvelope | null;
  importJobId: string | null;
  busy: boolean;
  startError: ErrorEnvelope | null;

  setStep: (step: ImportStep) => void;
  setDir: (dir: string) => void;
  setStore: (store: string) => void;
  offerDefaultStore: (store: string) => void;
  /** Once per verification: the store when the bundle carries models, the registry when it carries anything else. */
  offerTargets: (verifyJobId: string, carries: { models: boolean; others: boolean }) => void;
  setTargets: (patch: Partial<Pick<ImportState, 'toStore' | 'toRegistry'>>) => void;
  updateRegistry: (patch: Partial<RegistryForm>) => void;
  updateAccess: (patch: Partial<AccessForm>) => void;
  testConnection: () => Promise<void>;
  /** Forgets credentials remembered for a registry host (registry.forget) and clears the last test. */
  forgetCredentials: (registry: string) => Promise<void>;
  /** Runs import.verify on the bundle folder; the Bundle step shows its progress. */
  verify: () => Promise<void>;
  /** Back to the Bundle step, forgetting the verification. */
  chooseAnother: () => void;
  startImport: () => Promise<void>;
  attachJob: (job: Job) => void;
  reset: () => void;
}

/** A username and password, when both are given. */
export function loginOf(form: RegistryForm): RegistryLogin | undefined {
  return form.username.trim() && form.password ? { username: form.username.trim(), password: form.password } : undefined;
}

/** Half a login is a mistake worth saying, not something to send. */
export function loginProblem(form: RegistryForm): string | null {
  if (Boolean(form.username.trim()) === Boolean(form.password)) return null;
  return form.password ? 'Give the username too.' : 'Give the password too.';
}

const NO_TEST = { test: null, testError: null } as const;

/** The Import wizard: bundle folder → verification → targets → run → done. */
export const useImport = create<ImportState>((set, get) => {
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
    dir: '',
    verifyJobId: null,
    store: '',
    storeDefaulted: false,
    toStore: true,
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
    setDir: (dir) => set({ dir }),
    setStore: (store) => set({ store, storeDefaulted: true }),
    offerDefaultStore: (store) => {
      if (!get().storeDefaulted) set({ store, storeDefaulted: true });
    },
    offerTargets: (verifyJobId, carries) => {
      if (get().targetsOfferedFor === verifyJobId) return;
      set({ targetsOfferedFor: verifyJobId, toStore: carries.models, toRegistry: carries.others });
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

    verify: async () => {
      await foldersSettled();
      const dir = get().dir.trim();
      if (!dir) return;
      set({ busy: true, startError: null, step: 0, verifyJobId: null, importJobId: null });
      try {
        const job = await ferry().call('import.verify', { dir });
        useJobs.getState().upsert(job);
        set({ verifyJobId: job.id, busy: false });
      } catch (err) {
        set({ startError: toErrorEnvelope(err), busy: false });
      }
    },

    chooseAnother: () => set({ step: 0, verifyJobId: null, importJobId: null, startError: null }),

    startImport: async () => {
      await foldersSettled();
      const s = get();
      const store = s.toStore ? s.store.trim() : '';
      const target = s.toRegistry ? s.registry.target.trim() : '';
      if ((s.toStore && !store) || (s.toRegistry && !target) || (!store && !target)) return;
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
            ...(store ? { toOllamaStore: store } : {}),
            ...(target ? { toRegistry: { target, ...(access ? { access } : {}) } } : {}),
          },
          ...(login ? { login } : {}),
        });
        useJobs.getState().upsert(job);
        set({ importJobId: job.id, step: 3, busy: false });
      } catch (err) {
        set({ startError: toErrorEnvelope(err), busy: false });
      }
    },

    attachJob: (job) => {
      const request = job.request as Partial<ImportRequest>;
      if (job.kind === 'verify') {
        set({ verifyJobId: job.id, importJobId: null, step: job.state === 'running' ? 0 : 1, ...(request.dir ? { dir: request.dir } : {}) });
      } else if (job.kind === 'import') {
        set((s) => ({
          importJobId: job.id,
          step: job.state === 'completed' ? 4 : 3,
          ...(request.dir ? { dir: request.dir } : {}),
          toStore: Boolean(request.toOllamaStore),
          toRegistry: Boolean(request.toRegistry),
          ...(request.toOllamaStore ? { store: request.toOllamaStore } : {}),
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
        targetsOfferedFor: null,
        busy: false,
        startError: null,
        registry: { ...s.registry, password: '' },
        ...NO_TEST,
      })),
  };
});

/** Error codes that mean the bundle itself is refused (damaged, altered, unsigned, untrusted). */
export const REFUSAL_CODES: ReadonlySet<string> = new Set(['INTEGRITY', 'SIGNATURE', 'UNTRUSTED']);

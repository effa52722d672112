import { create } from 'zustand';
import type { ErrorEnvelope } from '../../../../shared/errors.js';
import type { Job } from '../../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../../client';
import { foldersSettled } from '../../lib/pendingFolders';
import { useJobs } from '../jobs/jobsStore';

export const IMPORT_STEPS = ['Bundle', 'Verify', 'Target', 'Run', 'Done'] as const;
export type ImportStep = 0 | 1 | 2 | 3 | 4;

interface ImportState {
  step: ImportStep;
  dir: string;
  verifyJobId: string | null;
  store: string;
  storeDefaulted: boolean;
  importJobId: string | null;
  busy: boolean;
  startError: ErrorEnvelope | null;

  setStep: (step: ImportStep) => void;
  setDir: (dir: string) => void;
  setStore: (store: string) => void;
  offerDefaultStore: (store: string) => void;
  /** Runs import.verify on the bundle folder; the Bundle step shows its progress. */
  verify: () => Promise<void>;
  /** Back to the Bundle step, forgetting the verification. */
  chooseAnother: () => void;
  startImport: () => Promise<void>;
  attachJob: (job: Job) => void;
  reset: () => void;
}

/** The Import wizard: bundle folder → verification → target store → run → done. */
export const useImport = create<ImportState>((set, get) => ({
  step: 0,
  dir: '',
  verifyJobId: null,
  store: '',
  storeDefaulted: false,
  importJobId: null,
  busy: false,
  startError: null,

  setStep: (step) => set({ step }),
  setDir: (dir) => set({ dir }),
  setStore: (store) => set({ store, storeDefaulted: true }),
  offerDefaultStore: (store) => {
    if (!get().storeDefaulted) set({ store, storeDefaulted: true });
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
    const { dir, store } = get();
    if (!store.trim()) return;
    set({ busy: true, startError: null });
    try {
      const job = await ferry().call('import.start', { dir: dir.trim(), toOllamaStore: store.trim() });
      useJobs.getState().upsert(job);
      set({ importJobId: job.id, step: 3, busy: false });
    } catch (err) {
      set({ startError: toErrorEnvelope(err), busy: false });
    }
  },

  attachJob: (job) => {
    const request = job.request as { dir?: string; toOllamaStore?: string };
    if (job.kind === 'verify') {
      set({ verifyJobId: job.id, importJobId: null, step: job.state === 'running' ? 0 : 1, ...(request.dir ? { dir: request.dir } : {}) });
    } else if (job.kind === 'import') {
      set({
        importJobId: job.id,
        step: job.state === 'completed' ? 4 : 3,
        ...(request.dir ? { dir: request.dir } : {}),
        ...(request.toOllamaStore ? { store: request.toOllamaStore } : {}),
      });
    }
  },

  reset: () => set({ step: 0, dir: '', verifyJobId: null, importJobId: null, busy: false, startError: null }),
}));

/** Error codes that mean the bundle itself is refused (damaged, altered, unsigned, untrusted). */
export const REFUSAL_CODES: ReadonlySet<string> = new Set(['INTEGRITY', 'SIGNATURE', 'UNTRUSTED']);

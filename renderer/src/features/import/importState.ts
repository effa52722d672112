import type { ArtifactKind } from '../../../../shared/bundle.js';
import type { ErrorEnvelope } from '../../../../shared/errors.js';
import type { JobOf, Result } from '../../../../shared/rpc.js';
import type { AccessForm } from '../../domain/registry/access';

export const IMPORT_STEPS = ['Bundle', 'Verify', 'Targets', 'Run', 'Done'] as const;
export type ImportStep = 0 | 1 | 2 | 3 | 4;
/** Where the bundle is: one folder, or discs copied one by one into a staging folder. */
export type BundleSource = 'folder' | 'discs';

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

export interface DiscMedium {
  id: string;
  label: string;
  seal: string;
}

export const NO_DISC_MEDIUM: DiscMedium = { id: '', label: '', seal: '' };

export interface ImportState {
  step: ImportStep;
  source: BundleSource;
  dir: string;
  verifyJobId: string | null;
  /** An override recorded for this bundle folder (its ledger line): its untrusted signer is trusted for this import only. */
  override: { seq: number } | null;
  /** The mounted disc: the same mount point for every disc. */
  disc: string;
  /** The disc in the drive as the officer records it (id, label, seal); cleared after each copy. */
  discMedium: DiscMedium;
  staging: string;
  /** The copy jobs into this staging folder, oldest first. */
  stageJobIds: string[];
  stageBusy: boolean;
  stageStartError: ErrorEnvelope | null;
  store: string;
  storeDefaulted: boolean;
  hfCache: string;
  hfCacheDefaulted: boolean;
  filesDir: string;
  /** The kinds the verified bundle carries; a local target for a kind it does not carry is not sent. */
  carried: ArtifactKind[];
  toStore: boolean;
  toHfCache: boolean;
  toDir: boolean;
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
  setSource: (source: BundleSource) => void;
  setDir: (dir: string) => void;
  setDisc: (disc: string) => void;
  /** An officer overrode the untrusted signer (import.override): verify again, then import, with it. */
  setOverride: (override: { seq: number }) => void;
  setDiscMedium: (medium: DiscMedium) => void;
  /** Another staging folder starts another round of discs. */
  setStaging: (staging: string) => void;
  /** Copies the disc in the drive into the staging folder (import.stage). */
  copyDisc: () => Promise<void>;
  /** Verifies the staging folder once every volume is there. */
  verifyStaged: () => Promise<void>;
  setStore: (store: string) => void;
  offerDefaultStore: (store: string) => void;
  setHfCache: (cache: string) => void;
  offerDefaultHfCache: (cache: string) => void;
  setFilesDir: (dir: string) => void;
  /** Once per verification: each local target when the bundle carries its kind, the registry for images and charts. */
  offerTargets: (verifyJobId: string, kinds: ArtifactKind[]) => void;
  setTargets: (patch: Partial<Pick<ImportState, 'toStore' | 'toHfCache' | 'toDir' | 'toRegistry'>>) => void;
  updateRegistry: (patch: Partial<RegistryForm>) => void;
  updateAccess: (patch: Partial<AccessForm>) => void;
  testConnection: () => Promise<void>;
  /** Forgets credentials remembered for a registry host (registry.forget) and clears the last test. */
  forgetCredentials: (registry: string) => Promise<void>;
  /**
   * Checks the bundle folder: the quick checks (signature, key, index, manifests) unless `readBack`,
   * which also reads every volume back; the Bundle step shows its progress.
   */
  verify: (opts?: { readBack?: boolean }) => Promise<void>;
  /** Back to the Bundle step, forgetting the verification. */
  chooseAnother: () => void;
  startImport: () => Promise<void>;
  attachJob: (job: JobOf<'verify' | 'import' | 'stage'>) => void;
  reset: () => void;
}

/** A username and password, when both are given. */

/**
 * What a page reload keeps of the wizard (this tab's sessionStorage): the step, the folders, the
 * jobs and the targets as chosen, never the password, nor a test answer or a pending error.
 */
const KEPT_ON_RELOAD = [
  'step',
  'source',
  'dir',
  'override',
  'verifyJobId',
  'disc',
  'staging',
  'stageJobIds',
  'store',
  'storeDefaulted',
  'hfCache',
  'hfCacheDefaulted',
  'filesDir',
  'carried',
  'toStore',
  'toHfCache',
  'toDir',
  'toRegistry',
  'targetsOfferedFor',
  'access',
  'importJobId',
] as const;

export function keptOnReload(s: ImportState) {
  return { ...Object.fromEntries(KEPT_ON_RELOAD.map((key) => [key, s[key]])), registry: { ...s.registry, password: '' } } as Partial<ImportState>;
}

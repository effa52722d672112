import type { ErrorEnvelope } from '../../../../shared/errors.js';
import type { VolumePreset } from '../../../../shared/media.js';
import type { ApprovalRequestInfo, JobOf } from '../../../../shared/rpc.js';
import type { PickedEntry } from '../../components/FileBrowserDialog';
import { useAppInfo } from '../../core/appInfoStore';
import type { MediaFormValue, VerifiedMedium } from '../../domain/media/mediaTypes';
import type { AccessForm } from '../../domain/registry/access';
import type { Resolution } from './references';
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
export type ReferenceFields = Pick<ExportState, 'imagesText' | 'chartsText' | 'tickedPlatforms' | 'otherPlatforms' | 'leaveSignatures'>;

export interface ExportState {
  step: ExportStep;
  store: string;
  /** The default store was offered once; an emptied field stays empty. */
  storeDefaulted: boolean;
  selected: string[];
  hfCache: string;
  /** The default cache was offered once; an emptied field stays empty. */
  hfCacheDefaulted: boolean;
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
  leaveSignatures: boolean;
  access: AccessForm;
  resolution: Resolution | null;
  resolving: boolean;
  resolveError: ErrorEnvelope | null;
  media: MediaChoice;
  customSize: string;
  /** With a custom size: lay the bundle out one folder per disc (a disc preset always does). */
  discLayout: boolean;
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
  /** Unticks models the store's list no longer holds. */
  keepSelectedIn: (names: Set<string>) => void;
  toggle: (name: string) => void;
  setSelected: (names: string[]) => void;
  setHfCache: (cache: string) => void;
  offerDefaultHfCache: (cache: string) => void;
  /** Unticks revisions the cache's list no longer holds. */
  keepHfSelectedIn: (specs: Set<string>) => void;
  toggleHf: (spec: string) => void;
  addFiles: (entries: PickedEntry[]) => void;
  removeFile: (path: string) => void;
  setTab: (tab: CarryTab) => void;
  updateReferences: (patch: Partial<ReferenceFields>) => void;
  updateAccess: (patch: Partial<AccessForm>) => void;
  /** Resolves the typed images and charts on their registries (registry.resolve). */
  resolve: () => Promise<void>;
  update: (patch: Partial<Pick<ExportState, 'media' | 'customSize' | 'discLayout' | 'destination' | 'name' | 'licencesRead'>>) => void;
  /** Media → Approval (two-person rule). */
  toApproval: () => void;
  /** Records export.requested (approval.request) with exactly what export.start would send. */
  requestApproval: () => Promise<void>;
  /** The engine's newer word on the current approval (a decision, here or elsewhere). */
  setApproval: (info: ApprovalRequestInfo) => void;
  /** After a rejection: back to the first step; a new request is needed. */
  backToCarry: () => void;
  start: () => Promise<void>;
  attachJob: (job: JobOf<'export'>) => void;
  /** Shows a media read-back job (opened from Home) on the Verify media step. */
  attachMediaJob: (job: JobOf<'media-verify'>) => void;
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

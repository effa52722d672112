import type { JobKind, JobRequest, JobResult } from '../../shared/rpc.js';
import { prepareBundle, reportBeforeReading, verifyBundle, verifyResultOf } from '../bundle/verify.js';
import { verifyMedia } from '../custody/media.js';
import type { Engine } from '../engine.js';
import { readTrustFiles } from '../keys/keys.js';
import { credentialSource } from '../registry/credentials.js';
import { runExport } from '../transfer/export.js';
import { runImport } from '../transfer/import.js';
import { trustedKeysFor } from '../transfer/trusted-keys.js';
import { stageDisc } from '../transfer/stage.js';
import type { Progress } from '../util/progress.js';
import type { JobSecrets } from './messages.js';
import { overriddenKey } from '../transfer/import-override.js';

export interface JobHooks {
  signal: AbortSignal;
  onProgress: (progress: Progress) => void;
  /** What the job waits for while it is stalled (a registry retrying), or undefined once it moves. */
  onWaiting?: (text: string | undefined) => void;
  secrets?: JobSecrets;
}

/** What a job of kind K runs: the engine's use case, given the request its method took. */
type UseCase<K extends JobKind> = (engine: Engine, request: JobRequest<K>, hooks: JobHooks) => Promise<JobResult<K>>;

/** Credentials typed in the app first, then docker's config, as the CLI does. */
function credentialsOf(hooks: JobHooks) {
  return credentialSource({ given: new Map(hooks.secrets?.credentials ?? []) });
}

function progressOf(hooks: JobHooks) {
  return { signal: hooks.signal, onProgress: hooks.onProgress, ...(hooks.onWaiting ? { onWaiting: hooks.onWaiting } : {}) };
}

/** The one registration of job kinds: a kind's request and result are in shared/contract/jobs.ts, its use case here. */
const useCases: { [K in JobKind]: UseCase<K> } = {
  export: async (engine, request, hooks) => {
    const { dir, name, bundleDigest, tarSize, volumes, artifacts, discs, warnings } = await runExport(engine, request, {
      ...progressOf(hooks),
      credentials: credentialsOf(hooks),
    });
    return {
      dir,
      name,
      bundleDigest,
      signer: engine.siteKey.fingerprint,
      tarSize,
      volumes,
      artifacts,
      ...(discs ? { discs } : {}),
      ...(warnings ? { warnings } : {}),
    };
  },
  verify: async (engine, request, hooks) => {
    const overridden = request.override ? [(await overriddenKey(engine, request.override.seq, request.dir)).key] : [];
    const trusted = await trustedKeysFor(engine, [...(await readTrustFiles(request.trust ?? [], [request.dir])), ...overridden]);
    if (request.quick) return verifyResultOf(reportBeforeReading(await prepareBundle(request.dir, trusted)));
    return verifyResultOf(await verifyBundle(request.dir, { trusted, deep: Boolean(request.deep), ...progressOf(hooks) }));
  },
  import: async (engine, request, hooks) => {
    const { bundleDigest, signer, artifacts, linkedFolders, values, valuesFile } = await runImport(engine, request, {
      ...progressOf(hooks),
      credentials: credentialsOf(hooks),
    });
    return {
      bundleDigest,
      signer: { fingerprint: signer.fingerprint, trusted: signer.trusted },
      artifacts,
      ...(linkedFolders ? { linkedFolders } : {}),
      ...(values ? { values } : {}),
      ...(valuesFile ? { valuesFile } : {}),
    };
  },
  stage: async (engine, request, hooks) => {
    const { signer, ...result } = await stageDisc(
      engine,
      {
        from: request.from,
        to: request.to,
        trust: await readTrustFiles(request.trust ?? [], [request.from, request.to]),
        ...(request.medium ? { medium: request.medium } : {}),
      },
      progressOf(hooks),
    );
    return { ...result, signer: { fingerprint: signer.fingerprint, trusted: signer.trusted } };
  },
  'media-verify': (engine, request, hooks) => verifyMedia(engine, request, progressOf(hooks)),
};

/** Runs one job with the engine of the thread it is in. */
export function runJob<K extends JobKind>(engine: Engine, kind: K, request: JobRequest<K>, hooks: JobHooks): Promise<JobResult<K>> {
  const useCase: UseCase<K> = useCases[kind];
  return useCase(engine, request, hooks);
}

import type {
  ExportJobResult,
  ExportRequest,
  ImportJobResult,
  ImportRequest,
  JobKind,
  MediaVerifyJobResult,
  MediaVerifyRequest,
  StageJobResult,
  StageRequest,
  VerifyJobResult,
  VerifyRequest,
} from '../../shared/rpc.js';
import { verifyMedia } from '../custody/media.js';
import { verifyBundle, verifyResultOf } from '../bundle/verify.js';
import type { Progress } from '../util/progress.js';
import type { Engine } from '../engine.js';
import { readTrustFiles } from '../keys/keys.js';
import { credentialSource } from '../registry/credentials.js';
import { exportRequestOf } from '../transfer/export-request.js';
import { runExport } from '../transfer/export.js';
import { runImport, trustedKeysFor } from '../transfer/import.js';
import { stageDisc } from '../transfer/stage.js';
import type { JobSecrets } from './messages.js';

export interface JobHooks {
  signal: AbortSignal;
  onProgress: (progress: Progress) => void;
  secrets?: JobSecrets;
}

/** Credentials typed in the app first, then docker's config, as the CLI does. */
function credentialsOf(hooks: JobHooks) {
  return credentialSource({ given: new Map(hooks.secrets?.credentials ?? []) });
}

/** Runs one job of the UI with the engine of the thread it is in. */
export async function runJob(
  engine: Engine,
  kind: JobKind,
  request: unknown,
  hooks: JobHooks,
): Promise<ExportJobResult | VerifyJobResult | ImportJobResult | StageJobResult | MediaVerifyJobResult> {
  const progress = { signal: hooks.signal, onProgress: hooks.onProgress };
  switch (kind) {
    case 'export': {
      const r = request as ExportRequest;
      const result = await runExport(engine, exportRequestOf(r), {
        ...progress,
        credentials: credentialsOf(hooks),
        ...(r.approval ? { approval: r.approval } : {}),
      });
      return {
        dir: result.dir,
        name: result.name,
        bundleDigest: result.bundleDigest,
        signer: engine.siteKey.fingerprint,
        tarSize: result.tarSize,
        volumes: result.volumes,
        artifacts: result.artifacts,
      };
    }
    case 'verify': {
      const r = request as VerifyRequest;
      const trusted = await trustedKeysFor(engine, await readTrustFiles(r.trust ?? []));
      return verifyResultOf(await verifyBundle(r.dir, { trusted, deep: Boolean(r.deep), ...progress }));
    }
    case 'import': {
      const r = request as ImportRequest;
      const result = await runImport(
        engine,
        {
          dir: r.dir,
          trust: [],
          ...(r.toOllamaStore ? { toOllamaStore: r.toOllamaStore } : {}),
          ...(r.toHfCache ? { toHfCache: r.toHfCache } : {}),
          ...(r.toDir ? { toDir: r.toDir } : {}),
          ...(r.saveInstaller ? { saveInstaller: r.saveInstaller } : {}),
          ...(r.toRegistry
            ? {
                toRegistry: {
                  target: r.toRegistry.target,
                  ...(r.toRegistry.access ? { access: r.toRegistry.access } : {}),
                  ...(r.toRegistry.concurrency ? { concurrency: r.toRegistry.concurrency } : {}),
                },
              }
            : {}),
        },
        { ...progress, credentials: credentialsOf(hooks) },
      );
      return {
        bundleDigest: result.bundleDigest,
        signer: { fingerprint: result.signer.fingerprint, trusted: result.signer.trusted },
        artifacts: result.artifacts,
        ...(result.linkedFolders ? { linkedFolders: result.linkedFolders } : {}),
        ...(result.values ? { values: result.values } : {}),
      };
    }
    case 'media-verify': {
      const r = request as MediaVerifyRequest;
      return verifyMedia(engine, r, progress);
    }
    case 'stage': {
      const r = request as StageRequest;
      const result = await stageDisc(engine, { from: r.from, to: r.to, trust: await readTrustFiles(r.trust ?? []) }, progress);
      return { ...result, signer: { fingerprint: result.signer.fingerprint, trusted: result.signer.trusted } };
    }
  }
}

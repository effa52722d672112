import path from 'node:path';
import type { ExportJobResult, ExportRequest, ImportJobResult, ImportRequest, JobKind, VerifyJobResult, VerifyRequest } from '../../shared/rpc.js';
import { verifyBundle, verifyResultOf } from '../bundle/verify.js';
import type { Progress } from '../bundle/write.js';
import type { Engine } from '../engine.js';
import { runExport } from '../transfer/export.js';
import { runImport, trustedKeysFor } from '../transfer/import.js';

export interface JobHooks {
  signal: AbortSignal;
  onProgress: (progress: Progress) => void;
}

/** Runs one job of the UI with the engine of the thread it is in. */
export async function runJob(engine: Engine, kind: JobKind, request: unknown, hooks: JobHooks): Promise<ExportJobResult | VerifyJobResult | ImportJobResult> {
  switch (kind) {
    case 'export': {
      const r = request as ExportRequest;
      const result = await runExport(
        engine,
        { out: path.join(r.destination, r.name), name: r.name, volumeSize: r.volumeSize, ollama: { store: r.store, models: r.models } },
        hooks,
      );
      return { dir: result.dir, name: result.name, bundleDigest: result.bundleDigest, signer: engine.siteKey.fingerprint, tarSize: result.tarSize, volumes: result.volumes, artifacts: result.artifacts };
    }
    case 'verify': {
      const r = request as VerifyRequest;
      return verifyResultOf(await verifyBundle(r.dir, { trusted: await trustedKeysFor(engine, []), ...hooks }));
    }
    case 'import': {
      const r = request as ImportRequest;
      const result = await runImport(engine, { dir: r.dir, trust: [], toOllamaStore: r.toOllamaStore }, hooks);
      return { bundleDigest: result.bundleDigest, signer: { fingerprint: result.signer.fingerprint, trusted: result.signer.trusted }, artifacts: result.artifacts };
    }
  }
}

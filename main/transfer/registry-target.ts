import path from 'node:path';
import type { RegistryTargetRequest } from '../../shared/contract/job-kinds.js';
import type { BundleStore } from '../bundle/bundle-store.js';
import type { Engine } from '../engine.js';
import { describeWait, pushScope, RegistryClient } from '../registry/client.js';
import { credentialSource, type CredentialSource } from '../registry/credentials.js';
import { planDestinations, stagePush, type PushedArtifact } from '../registry/push.js';
import type { RegistryTarget, RelocationMap } from '../registry/reference.js';
import { UploadSessions } from '../registry/upload-sessions.js';
import { valuesSnippet } from '../registry/values.js';
import { writeFileAtomic } from '../util/atomic.js';
import { attestTransfer } from '../provenance/attest-push.js';
import { transferFacts } from '../provenance/transfer-facts.js';
import type { OpenedBundle } from '../bundle/open.js';
import type { ImportedArtifact } from './local-targets.js';

/** Evidence of how a push went, for the ledger: blobs continued from the registry's offset, and blobs started over. */
interface PushRecovery {
  resumed: { blob: string; offset: number }[];
  restarted: { blob: string; reason: string }[];
}

/**
 * Before the long read, in seconds: the registry answers its v2 API, takes these credentials and
 * lets them push to every repository the import writes (an empty upload started in each);
 * then the push is staged: its blobs go up during the read, its manifests on commit.
 */
export async function stageRegistryPush(
  engine: Engine,
  bundle: Pick<OpenedBundle, 'bundleDigest' | 'index'>,
  manifests: ReadonlyMap<string, Buffer>,
  blobs: BundleStore,
  request: RegistryTargetRequest & { map: RelocationMap },
  target: RegistryTarget,
  opts: {
    signal?: AbortSignal | undefined;
    credentials?: CredentialSource | undefined;
    onWaiting?: ((text: string | undefined) => void) | undefined;
  },
) {
  const artifacts = bundle.index.artifacts;
  // Each pushed artifact (but what is attached to another) gets the transfer attestation, signed by this site.
  const attester = { key: engine.siteKey.privateKey, facts: () => transferFacts(engine, { digest: bundle.bundleDigest, index: bundle.index }) };
  const client = new RegistryClient(target.registry, opts.credentials ?? credentialSource(), request.access ?? {});
  client.onWait = (wait) => opts.onWaiting?.(wait ? describeWait(wait) : undefined);
  try {
    await client.ping(opts.signal);
    const repositories = new Set(planDestinations(artifacts, target, request.map).map((d) => d.destination.repository));
    for (const repository of repositories) await checkPushRights(client, repository);
    const recovery: PushRecovery = { resumed: [], restarted: [] };
    const sessions = new UploadSessions(path.join(engine.home, 'uploads'));
    const staged = await stagePush(
      artifacts.map((a) => ({ kind: a.kind, ref: a.ref, mediaType: a.mediaType, digest: a.digest, manifest: manifests.get(a.digest)! })),
      {
        target,
        map: request.map,
        client,
        sessions,
        blobs,
        ...(request.chunkSize ? { chunkSize: request.chunkSize } : {}),
        ...(opts.signal ? { stop: opts.signal } : {}),
        onEvent: (e) => {
          if (e.type === 'resumed') recovery.resumed.push({ blob: e.digest, offset: e.offset });
          if (e.type === 'restarted') recovery.restarted.push({ blob: e.digest, reason: e.reason });
        },
      },
    );
    let pushed: PushedArtifact[] = [];
    return {
      recovery,
      close: () => client.close(),
      staged: {
        ...staged,
        commit: async (): Promise<ImportedArtifact[]> => {
          pushed = await staged.commit();
          const attested = await attestTransfer(client, pushed, artifacts, sessions, attester);
          return pushed.map((p, i) => ({
            kind: p.kind,
            ref: p.ref,
            digest: p.digest,
            status: 'imported' as const,
            target: 'registry' as const,
            destination: p.destination,
            blobsWritten: p.blobsUploaded,
            blobsAlreadyPresent: p.blobsPresent,
            ...(p.pull ? { pull: p.pull } : {}),
            ...attested[i],
          }));
        },
      },
      /** The Helm values snippet for what was pushed, written where the request asked. */
      async values(bundleDigest: string): Promise<{ text: string; file?: string }> {
        // Signatures and referrers pushed beside an image are found by its digest, not deployed: not in the values.
        const deployable = pushed.filter((p) => !artifacts.some((a) => a.ref === p.ref && a.kind === p.kind && a.attachment !== undefined));
        const text = valuesSnippet(deployable, { bundleDigest, target: request.target, ferryVersion: engine.ferryVersion });
        if (request.valuesOut) await writeFileAtomic(path.resolve(request.valuesOut), text);
        return { text, ...(request.valuesOut ? { file: path.resolve(request.valuesOut) } : {}) };
      },
    };
  } catch (err) {
    await client.close();
    throw err;
  }
}

/**
 * Starts an (empty) upload in `repository`: a token without push rights is refused now, not after
 * the read. The session is left to expire: cancelling it needs a delete right many accounts lack,
 * and registries purge idle uploads on their own.
 */
async function checkPushRights(client: RegistryClient, repository: string): Promise<void> {
  const res = await client.request({
    method: 'POST',
    url: `/v2/${repository}/blobs/uploads/`,
    scopes: [pushScope(repository)],
    headers: { 'content-length': '0' },
  });
  if (res.status !== 202) await client.fail(res, `Checking the right to push to ${repository}`, { repository });
  await res.body.dump();
}

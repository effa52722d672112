import type { ArtifactKind } from '../../shared/bundle.js';
import { createHash } from 'node:crypto';
import type { StagedInstall } from '../content/staged.js';
import { fetchAll, type ListedStore } from '../content/store.js';
import { FerryError } from '../util/errors.js';
import { headerValue, pushScope, type RegistryClient } from './client.js';
import { REGISTRY_MANIFEST_LIMIT, parseManifest, type Descriptor } from './manifest.js';
import { LiveBlob } from './live-blob.js';
import { newChunkLimit, pushBlob, type PushBlobEvent, type PushBlobOutcome } from './push-blob.js';
import { formatReference, relocate, relocateOllamaModel, type Reference, type RegistryTarget, type RelocationMap } from './reference.js';
import { recordReferrer, referrerOf } from './referrers.js';
import { sourceReference } from './source-ref.js';
import type { UploadSessions } from './upload-sessions.js';

/** One artifact of a bundle as the push needs it: its manifest bytes; its blobs come from `blobs`. */
export interface ArtifactToPush {
  kind: ArtifactKind;
  ref: string;
  mediaType: string;
  digest: string;
  manifest: Buffer;
}

export interface PushedArtifact {
  kind: ArtifactKind;
  ref: string;
  /** Where it is now: host/repository:tag. */
  destination: string;
  registry: string;
  repository: string;
  tag?: string;
  digest: string;
  blobsUploaded: number;
  blobsPresent: number;
  /** Ollama models: the exact command that pulls it from there, e.g. `ollama pull harbor.internal/airgap/granite4.1:8b`. */
  pull?: string;
}

export interface PushOptions {
  target: RegistryTarget;
  map?: RelocationMap;
  client: RegistryClient;
  sessions: UploadSessions;
  /** Any blob of the bundle, by digest, readable by range (straight from the volumes): child manifests, and bytes sent again after a cut. */
  blobs: ListedStore;
  chunkSize?: number;
  /** Stop at the next chunk boundary. */
  stop?: AbortSignal;
  onEvent?: (event: PushBlobEvent) => void;
}

interface Plan {
  artifact: ArtifactToPush;
  source: Reference;
  destination: Reference;
  /** Child manifests of an index, pushed before it. */
  children: { descriptor: Descriptor; bytes: Buffer }[];
  blobs: Descriptor[];
}

async function manifestBytes(blobs: ListedStore, digest: string): Promise<Buffer> {
  const blob = blobs.find(digest);
  if (!blob) throw new FerryError('INVALID_INPUT', `Manifest ${digest} is not in the bundle.`, { blob: digest });
  const bytes = await fetchAll(blobs, blob);
  if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== digest)
    throw new FerryError('INTEGRITY', `Manifest ${digest} does not match its digest: a volume is damaged or was altered.`, { blob: digest });
  return bytes;
}

/** Where an artifact lands in the target registry. */
export interface Destination {
  artifact: Pick<ArtifactToPush, 'kind' | 'ref' | 'digest'>;
  source: Reference;
  destination: Reference;
}

/**
 * Where each artifact lands (relocated, or as --map says), refusing two that would take one tag
 * with different digests. No I/O: the import runs it before anything is written anywhere.
 */
export function planDestinations(
  artifacts: readonly Pick<ArtifactToPush, 'kind' | 'ref' | 'digest'>[],
  target: RegistryTarget,
  map?: RelocationMap,
): Destination[] {
  const planned = artifacts.map((artifact) => {
    const source = sourceReference(artifact.kind, artifact.ref);
    const destination = artifact.kind === 'ollama-model' ? relocateOllamaModel(source, artifact.ref, target, map) : relocate(source, target, map);
    return { artifact, source, destination };
  });
  refuseCollisions(planned);
  return planned;
}

/** Where each artifact goes and everything it needs pushed, children before parents. */
async function planPush(artifacts: readonly ArtifactToPush[], opts: PushOptions): Promise<Plan[]> {
  const plans: Plan[] = [];
  const destinations = planDestinations(artifacts, opts.target, opts.map);
  for (const [i, artifact] of artifacts.entries()) {
    const { source, destination } = destinations[i]!;
    const parsed = parseManifest(artifact.manifest, artifact.mediaType, artifact.ref);
    const children: Plan['children'] = [];
    const blobs = new Map<string, Descriptor>();
    if (parsed.kind === 'index') {
      for (const descriptor of parsed.manifests) {
        const bytes = await manifestBytes(opts.blobs, descriptor.digest);
        const child = parseManifest(bytes, descriptor.mediaType, `${artifact.ref}@${descriptor.digest}`);
        if (child.kind !== 'manifest')
          throw new FerryError('INVALID_INPUT', `${artifact.ref}: nested index ${descriptor.digest} is not supported.`, { blob: descriptor.digest });
        for (const d of [child.config, ...child.layers]) blobs.set(d.digest, d);
        children.push({ descriptor, bytes });
      }
    } else {
      for (const d of [parsed.config, ...parsed.layers]) blobs.set(d.digest, d);
    }
    for (const d of blobs.values())
      if (!opts.blobs.find(d.digest))
        throw new FerryError('INVALID_INPUT', `${artifact.ref} names blob ${d.digest}, which is not in the bundle.`, { blob: d.digest });
    plans.push({ artifact, source, destination, children, blobs: [...blobs.values()] });
  }
  return plans;
}

/** Two artifacts with different digests must not take the same tag: the second would silently replace the first. */
function refuseCollisions(plans: readonly Destination[]): void {
  const taken = new Map<string, Destination>();
  for (const plan of plans) {
    const { registry, repository, tag } = plan.destination;
    const key = `${registry}/${repository}:${tag ?? plan.artifact.digest}`;
    const first = taken.get(key);
    if (first && first.artifact.digest !== plan.artifact.digest) {
      throw new FerryError(
        'USAGE',
        `${first.artifact.ref} and ${plan.artifact.ref} would both land at ${key}, with different digests. Give one of them another destination with --map FILE, e.g. a line "${plan.source.registry}/${plan.source.repository} ${registry}/NAMESPACE/${repository.split('/').pop()}".`,
        { references: [first.artifact.ref, plan.artifact.ref], destination: key },
      );
    }
    taken.set(key, plan);
  }
}

/** The command that pulls an Ollama model from where it was pushed; --insecure is how Ollama talks plain HTTP. */
function ollamaPull(destination: Reference, client: RegistryClient): string {
  const insecure = client.origin.startsWith('http:') ? '--insecure ' : '';
  return `ollama pull ${insecure}${destination.registry}/${destination.repository}:${destination.tag ?? 'latest'}`;
}

export async function putManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
  mediaType: string,
  bytes: Buffer,
  expected: string,
): Promise<void> {
  const res = await client.request({
    method: 'PUT',
    url: `/v2/${repository}/manifests/${reference}`,
    scopes: [pushScope(repository)],
    headers: { 'content-type': mediaType },
    body: bytes,
  });
  if (res.status !== 201) {
    if (bytes.length > REGISTRY_MANIFEST_LIMIT && (res.status === 413 || res.status === 400)) {
      await res.body.dump();
      throw new FerryError(
        'REMOTE',
        `Manifest ${expected} of ${repository} is ${bytes.length} bytes; ${client.registry} refused it (HTTP ${res.status}), as registries commonly refuse manifests over 4 MiB. Raise the registry's manifest size limit.`,
        {
          blob: expected,
          size: bytes.length,
        },
      );
    }
    await client.fail(res, `Pushing manifest ${expected} to ${repository}:${reference}`, { blob: expected });
  }
  await res.body.dump();
  const stored = headerValue(res, 'docker-content-digest');
  if (stored && stored !== expected)
    throw new FerryError('INTEGRITY', `${client.registry} stored manifest ${expected} of ${repository} as ${stored}.`, { blob: expected });
}

/** How far one blob's upload is, as the registry confirmed it. */
export interface BlobProgress {
  digest: string;
  repository: string;
  bytesDone: number;
  bytesTotal: number;
}

/** A blob on its way: its bytes from the bundle's one read, and the repositories taking it. */
interface BlobUpload {
  live: LiveBlob;
  stop: AbortController;
  done: Promise<void>;
}

/**
 * Prepares a push of every artifact, relocated under the target with digests unchanged. Each
 * blob's bytes go up while the bundle is read (resumable chunks; HEAD first, so a blob already
 * there is not sent); a blob that several repositories take is sent once and mounted into the
 * others. `commit` then puts the child manifests and the tagged manifests: until then nothing in
 * the registry names the blobs, and blobs of an import that is refused stay unreferenced.
 */
export async function stagePush(
  artifacts: readonly ArtifactToPush[],
  opts: PushOptions,
): Promise<StagedInstall<PushedArtifact[]> & { describe(): string; active(): BlobProgress[] }> {
  const plans = await planPush(artifacts, opts);
  for (const plan of plans) {
    if (plan.destination.registry !== opts.client.registry) {
      throw new FerryError(
        'USAGE',
        `${plan.artifact.ref} maps to ${plan.destination.registry}, but this import pushes to ${opts.client.registry}. Map every repository to the one target registry.`,
        { reference: plan.artifact.ref },
      );
    }
  }
  const takers = new Map<string, string[]>();
  for (const plan of plans)
    for (const blob of plan.blobs) takers.set(blob.digest, [...new Set([...(takers.get(blob.digest) ?? []), plan.destination.repository])]);
  const outcomes = new Map<string, PushBlobOutcome>();
  const uploads = new Set<BlobUpload>();
  const active = new Map<string, BlobProgress>();
  let blobsDone = 0;

  const chunkLimit = newChunkLimit();
  const pushEverywhere = async (digest: string, live: LiveBlob, stop: AbortSignal) => {
    const repositories = takers.get(digest)!;
    const descriptor = opts.blobs.find(digest)!;
    try {
      for (const [i, repository] of repositories.entries()) {
        const progress: BlobProgress = { digest, repository, bytesDone: 0, bytesTotal: descriptor.size };
        active.set(digest, progress);
        const outcome = await pushBlob(opts.client, repository, live, descriptor, {
          onBytes: (delta) => (progress.bytesDone += delta),
          sessions: opts.sessions,
          mountFrom: repositories.slice(0, i),
          stop,
          ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
          chunkLimit,
          ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
        });
        outcomes.set(`${repository} ${digest}`, outcome);
        if (i === 0) live.finish();
      }
      blobsDone++;
    } finally {
      active.delete(digest);
      live.finish();
    }
  };

  const stopAll = async () => {
    for (const upload of uploads) {
      upload.stop.abort();
      upload.live.detach();
    }
    await Promise.allSettled([...uploads].map((u) => u.done));
    uploads.clear();
  };

  return {
    needs: new Set(takers.keys()),
    describe: () => ` and pushing: ${blobsDone} of ${takers.size} blobs`,
    active: () => [...active.values()].map((p) => ({ ...p })),
    async open(digest) {
      const live = new LiveBlob(opts.blobs.find(digest)!, opts.blobs);
      const stop = new AbortController();
      const onStop = () => stop.abort();
      opts.stop?.addEventListener('abort', onStop, { once: true });
      const upload: BlobUpload = { live, stop, done: pushEverywhere(digest, live, stop.signal) };
      upload.done.catch(() => undefined).finally(() => opts.stop?.removeEventListener('abort', onStop));
      uploads.add(upload);
      let failed: unknown;
      upload.done.catch((err: unknown) => (failed = err));
      const rethrow = () => {
        if (failed !== undefined) throw failed;
      };
      return {
        async write(piece) {
          rethrow();
          await live.offer(piece);
          rethrow();
        },
        async end() {
          live.detach();
          await upload.done;
          uploads.delete(upload);
        },
        /** Stops at the next chunk boundary; rejects with where a paused upload stands, so the person stopping it learns that. */
        async abort() {
          stop.abort();
          live.detach();
          try {
            await upload.done;
          } catch (err) {
            if (err instanceof FerryError && err.details.paused) throw err;
          } finally {
            uploads.delete(upload);
          }
        },
      };
    },
    async commit() {
      const results: PushedArtifact[] = [];
      for (const plan of plans) {
        const { repository } = plan.destination;
        for (const child of plan.children)
          await putManifest(opts.client, repository, child.descriptor.digest, child.descriptor.mediaType, child.bytes, child.descriptor.digest);
        const reference = plan.destination.tag ?? plan.artifact.digest;
        await putManifest(opts.client, repository, reference, plan.artifact.mediaType, plan.artifact.manifest, plan.artifact.digest);
        const subject = referrerOf(plan.artifact);
        if (subject) await recordReferrer(opts.client, repository, subject.digest, subject.descriptor);
        const sent = plan.blobs.map((b) => outcomes.get(`${repository} ${b.digest}`));
        results.push({
          kind: plan.artifact.kind,
          ref: plan.artifact.ref,
          destination: formatReference({ registry: plan.destination.registry, repository, ...(plan.destination.tag ? { tag: plan.destination.tag } : {}) }),
          registry: plan.destination.registry,
          repository,
          ...(plan.destination.tag ? { tag: plan.destination.tag } : {}),
          digest: plan.artifact.digest,
          blobsUploaded: sent.filter((o) => o === 'uploaded').length,
          blobsPresent: sent.filter((o) => o !== 'uploaded').length,
          ...(plan.artifact.kind === 'ollama-model' ? { pull: ollamaPull(plan.destination, opts.client) } : {}),
        });
      }
      return results;
    },
    discard: stopAll,
    refuse: (digest, why) => new FerryError('INTEGRITY', `Blob ${digest} ${why}; the registry was not told about it.`, { blob: digest }),
  };
}

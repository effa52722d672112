import { setTimeout as sleep } from 'node:timers/promises';
import { fetchAll, type ByteRange, type Descriptor, type ReadOnlyStore } from '../content/store.js';
import { FerryError } from '../util/errors.js';
import { readErrorText } from './bounded-read.js';
import { headerValue, pullScope, pushScope, retryAfterMs, type RegistryClient, type RegistryResponse } from './client.js';
import type { UploadSessions } from './upload-sessions.js';

export interface PushBlobContext {
  sessions: UploadSessions;
  /** Repositories of the same registry that hold the blob already (pushed by this run). */
  mountFrom?: readonly string[];
  /** Set to stop at the next chunk boundary: the chunk in flight finishes and is recorded first. */
  stop?: AbortSignal;
  /** A fixed chunk size; without it the size adapts to take about CHUNK_SECONDS per chunk. */
  chunkSize?: number;
  /** The largest chunk the registry takes, shared by a push's blobs: lowered when it answers HTTP 413. */
  chunkLimit?: ChunkLimit;
  /** Bytes the registry confirmed (negative when a blob had to start over). */
  onBytes?: (delta: number) => void;
  onEvent?: (event: PushBlobEvent) => void;
}

export type PushBlobEvent =
  | { type: 'resumed'; digest: string; offset: number }
  | { type: 'restarted'; digest: string; reason: string }
  | { type: 'chunk'; digest: string; offset: number; length: number };

export type PushBlobOutcome = 'exists' | 'mounted' | 'uploaded';

export interface ChunkLimit {
  bytes: number;
}

/** Where an upload takes a blob's bytes (in an import, the bundle's one read: LiveBlob). */
export interface UploadSource extends ReadOnlyStore {
  /** `range` of the blob for a chunk's body, each piece valid only until the next is asked for. */
  pieces(range: ByteRange): AsyncIterable<Buffer>;
}

const MiB = 1024 * 1024;
const FIRST_CHUNK = 8 * MiB;
/**
 * Chunks are bounded by time (CHUNK_SECONDS), this only caps them: each PATCH ends with a round
 * trip and, on distribution's filesystem driver, an fsync, so on a fast network larger chunks spend
 * less of the push waiting. A registry or proxy that refuses such bodies (413) gets smaller ones.
 */
const MAX_CHUNK = 1024 * MiB;
/** Chunks are sized to take about this long, so Pause and SIGTERM stop within seconds. */
const CHUNK_SECONDS = 2;
/** Blobs this small go in one PUT. */
const SINGLE_PUT_LIMIT = 1 * MiB;
const MAX_RECOVERIES = 8;

/**
 * `Range: 0-1234` (or the older `bytes=0-1234`): the registry holds bytes up to and including 1234.
 * distribution 2.8 says 0-0 for an empty upload as well as a 1-byte one; chunks are never 1 byte, so 0.
 */
export function confirmedOffset(res: RegistryResponse): number | null {
  const range = headerValue(res, 'range');
  const match = range ? /^(?:bytes=)?0-(\d+)$/.exec(range.trim()) : null;
  if (!match) return null;
  const end = Number(match[1]);
  return end === 0 ? 0 : end + 1;
}

function pausedError(digest: string, offset: number, size: number): FerryError {
  return new FerryError(
    'CANCELLED',
    `Paused: blob ${digest} is at ${offset} of ${size} bytes on the registry. Run the same import again to continue from there.`,
    { blob: digest, offset, paused: true },
  );
}

/**
 * Pushes one blob, resuming whatever the registry kept: HEAD first (skip what exists), a
 * cross-repository mount when this run pushed it elsewhere, then chunked PATCHes with the session
 * persisted after each, and the closing PUT with the digest the registry checks.
 */
export async function pushBlob(
  client: RegistryClient,
  repository: string,
  blobs: UploadSource,
  blob: Descriptor,
  ctx: PushBlobContext,
): Promise<PushBlobOutcome> {
  const { digest, size } = blob;
  const scopes = [pushScope(repository)];
  const blobUrl = `/v2/${repository}/blobs/${digest}`;

  const head = await client.request({ method: 'HEAD', url: blobUrl, scopes });
  await head.body.dump();
  if (head.status === 200) {
    await ctx.sessions.remove(client.registry, repository, digest);
    return 'exists';
  }
  if (head.status !== 404) await client.fail(head, `Checking for blob ${digest} in ${repository}`, { blob: digest });

  let location: string | null = null;
  let offset = 0;
  for (const from of ctx.mountFrom ?? []) {
    const res = await client.request({
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/?mount=${digest}&from=${encodeURIComponent(from)}`,
      scopes: [...scopes, pullScope(from)],
      headers: { 'content-length': '0' },
    });
    await res.body.dump();
    if (res.status === 201) {
      await ctx.sessions.remove(client.registry, repository, digest);
      return 'mounted';
    }
    if (res.status === 202) {
      location = new URL(headerValue(res, 'location') ?? '', res.url).toString();
      break;
    }
  }

  const save = () => ctx.sessions.save({ registry: client.registry, repository, digest, location: location!, offset });
  const restart = async (reason: string) => {
    if (offset > 0) ctx.onBytes?.(-offset);
    ctx.onEvent?.({ type: 'restarted', digest, reason });
    await ctx.sessions.remove(client.registry, repository, digest);
    location = null;
    offset = 0;
  };

  if (!location) {
    const saved = await ctx.sessions.load(client.registry, repository, digest);
    if (saved) {
      const status = await uploadStatus(client, saved.location, scopes);
      if (status !== null) {
        location = status.location;
        offset = status.offset;
        ctx.onBytes?.(offset);
        ctx.onEvent?.({ type: 'resumed', digest, offset });
      } else {
        await ctx.sessions.remove(client.registry, repository, digest);
        ctx.onEvent?.({ type: 'restarted', digest, reason: 'the registry no longer has the upload session' });
      }
    }
  }

  let minChunk = 0;
  const start = async () => {
    const res = await client.request({ method: 'POST', url: `/v2/${repository}/blobs/uploads/`, scopes, headers: { 'content-length': '0' } });
    if (res.status !== 202) await client.fail(res, `Starting the upload of blob ${digest} to ${repository}`, { blob: digest });
    await res.body.dump();
    const loc = headerValue(res, 'location');
    if (!loc) throw new FerryError('REMOTE', `${client.registry} started an upload without a Location header.`, { blob: digest });
    location = new URL(loc, res.url).toString();
    minChunk = Number(headerValue(res, 'oci-chunk-min-length') ?? 0) || 0;
  };

  if (!location && size <= SINGLE_PUT_LIMIT) {
    await start();
    const bytes = await fetchAll(blobs, blob);
    const res = await client.request({
      method: 'PUT',
      url: withDigest(location!, digest),
      scopes,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: bytes,
    });
    await finishPut(client, res, repository, digest);
    ctx.onBytes?.(size);
    return 'uploaded';
  }

  const limit = ctx.chunkLimit ?? newChunkLimit();
  let chunk = Math.max(ctx.chunkSize ?? FIRST_CHUNK, minChunk);
  let recoveries = 0;
  let digestRetried = false;
  for (;;) {
    if (!location) {
      await start();
      chunk = Math.max(chunk, minChunk);
      await save();
    }
    while (offset < size) {
      if (ctx.stop?.aborted) {
        await save();
        throw pausedError(digest, offset, size);
      }
      const length = Math.min(chunk, limit.bytes, size - offset);
      const began = Date.now();
      let res: RegistryResponse | null = null;
      let failure = '';
      try {
        res = await client.request({
          method: 'PATCH',
          url: location!,
          scopes,
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(length), 'content-range': `${offset}-${offset + length - 1}` },
          body: () => blobs.pieces({ offset, length }),
        });
      } catch (err) {
        if (err instanceof FerryError && err.code !== 'REMOTE') throw err;
        failure = (err as Error).message;
      }
      if (res && res.status === 202) {
        await res.body.dump();
        location = new URL(headerValue(res, 'location') ?? location!, res.url).toString();
        const confirmed = confirmedOffset(res) ?? offset + length;
        ctx.onBytes?.(confirmed - offset);
        ctx.onEvent?.({ type: 'chunk', digest, offset, length });
        offset = confirmed;
        await save();
        if (recoveries > 0) client.onWait?.(null);
        recoveries = 0;
        if (!ctx.chunkSize) chunk = adaptChunk(chunk, length, Date.now() - began, minChunk);
        continue;
      }
      let wait = Math.min(250 * 2 ** (recoveries + 1), 8000);
      const tooLarge = res?.status === 413;
      if (res) {
        failure = `HTTP ${res.status}`;
        if (res.status === 401 || res.status === 403) await client.fail(res, `Uploading blob ${digest} to ${repository}`, { blob: digest });
        await res.body.dump();
        wait = retryAfterMs(headerValue(res, 'retry-after')) ?? wait;
      }
      if (tooLarge) {
        // Refused for its size, not a fault: the same offset again in smaller chunks, at once.
        limit.bytes = smallerChunk(length, minChunk, client.registry, digest);
        chunk = Math.min(chunk, limit.bytes);
      } else {
        // The chunk did not land as sent: ask the registry where the upload stands.
        if (++recoveries > MAX_RECOVERIES)
          throw new FerryError('REMOTE', `Uploading blob ${digest} to ${repository} kept failing (${failure}).`, { blob: digest });
        client.onWait?.({ attempt: recoveries, attempts: MAX_RECOVERIES, delayMs: wait, reason: failure });
        await sleep(wait);
      }
      const status = await uploadStatus(client, location!, scopes);
      if (status && status.offset <= size) {
        ctx.onBytes?.(status.offset - offset);
        location = status.location;
        offset = status.offset;
        await save();
      } else {
        await restart(`${failure}; the registry dropped the upload session`);
        break;
      }
    }
    if (!location) continue;
    const res = await client.request({ method: 'PUT', url: withDigest(location, digest), scopes, headers: { 'content-length': '0' } });
    if (res.status === 400 && !digestRetried) {
      // The registry assembled something else (distribution 2.8 appends chunks whatever their range): start over once.
      const text = await readErrorText(res.body);
      if (/DIGEST_INVALID|BLOB_UPLOAD_INVALID/.test(text)) {
        digestRetried = true;
        await restart('the registry assembled bytes that do not match the digest');
        continue;
      }
      throw new FerryError('REMOTE', `Finishing blob ${digest} in ${repository}: ${client.registry} answered HTTP 400 (${text.slice(0, 200)}).`, {
        blob: digest,
      });
    }
    await finishPut(client, res, repository, digest);
    await ctx.sessions.remove(client.registry, repository, digest);
    return 'uploaded';
  }
}

function withDigest(location: string, digest: string): string {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url.toString();
}

async function finishPut(client: RegistryClient, res: RegistryResponse, repository: string, digest: string): Promise<void> {
  if (res.status !== 201) {
    if (res.status === 400) {
      const text = await readErrorText(res.body);
      throw new FerryError(
        'INTEGRITY',
        `${client.registry} refused blob ${digest} for ${repository}: the bytes sent do not hash to the digest (${text.slice(0, 200)}).`,
        { blob: digest },
      );
    }
    await client.fail(res, `Finishing blob ${digest} in ${repository}`, { blob: digest });
  }
  await res.body.dump();
  const stored = headerValue(res, 'docker-content-digest');
  if (stored && stored !== digest) throw new FerryError('INTEGRITY', `${client.registry} stored blob ${digest} as ${stored}.`, { blob: digest });
}

/** GET on the upload URL: where the registry says the upload stands, or null if the session is gone. */
async function uploadStatus(client: RegistryClient, location: string, scopes: readonly string[]): Promise<{ location: string; offset: number } | null> {
  const res = await client.request({ method: 'GET', url: location, scopes });
  await res.body.dump();
  if (res.status !== 204 && res.status !== 200) return null;
  const offset = confirmedOffset(res);
  return { location: new URL(headerValue(res, 'location') ?? location, res.url).toString(), offset: offset ?? 0 };
}

/** No limit known yet: chunks up to MAX_CHUNK. One per push, shared by its blobs. */
export function newChunkLimit(): ChunkLimit {
  return { bytes: MAX_CHUNK };
}

/**
 * The chunk to try after `refused` was answered 413 (a registry's or a proxy's body limit, such as
 * nginx's client_max_body_size): half of it in whole MiB, or an error when that goes under what
 * the registry takes.
 */
function smallerChunk(refused: number, minChunk: number, registry: string, digest: string): number {
  const half = Math.floor(refused / 2 / MiB) * MiB;
  if (half >= Math.max(minChunk, MiB)) return half;
  throw new FerryError(
    'REMOTE',
    `${registry} refuses upload chunks of ${refused} bytes as too large (HTTP 413)${minChunk ? `, and takes none under ${minChunk} bytes` : ''}. Raise the request size limit of the registry or of the proxy in front of it (for nginx: client_max_body_size).`,
    { blob: digest },
  );
}

/** Grows or shrinks the chunk toward CHUNK_SECONDS per chunk, in whole MiB, never below the registry's minimum. */
function adaptChunk(current: number, sent: number, elapsedMs: number, minChunk: number): number {
  if (sent < current) return current;
  const ideal = (sent / Math.max(elapsedMs, 1)) * CHUNK_SECONDS * 1000;
  const next = Math.min(Math.max(ideal, current / 2, MiB), current * 2, MAX_CHUNK);
  return Math.max(Math.round(next / MiB) * MiB, minChunk);
}

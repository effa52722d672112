import fsp from 'node:fs/promises';
import type { BundleIndex } from '../../shared/bundle.js';
import type { BlobSink } from '../content/staged.js';
import { FerryError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import type { BlobEvent, TarChecker } from './tar-check.js';
import type { ErrorCode } from '../../shared/errors.js';
import { ParallelHasher } from '../util/parallel-hasher.js';
import { readVolumeThroughRing } from './volume-reads.js';
import type { VolumeSet } from './volume-set.js';

export type VolumeStatus = 'ok' | 'missing' | 'mismatch' | 'wrong-size' | 'unchecked';

export interface VolumeCheck {
  file: string;
  size: number;
  expected: string;
  status: VolumeStatus;
  actual?: string;
}

export interface Problem {
  code: ErrorCode;
  message: string;
  volume?: string;
  blob?: string;
  /** UNTRUSTED: the signer's key was trusted here once and then revoked (not merely never trusted). */
  revoked?: boolean;
}

/** Where the blobs go while they are read: a sink per blob some target needs, nothing for the rest. */
export interface BlobRoutes {
  open(digest: string): Promise<BlobSink | undefined>;
  /** The phase's words after "Reading volume 3 of 12", e.g. " and pushing: 14 of 40 blobs". */
  describe?(): string;
  /** What the user picked that a blob belongs to (a model, an image, a file), for "Now:". */
  itemOf?(digest: string): string | undefined;
  /** Uploads in flight, each with the bytes the registry confirmed. */
  active?(): NonNullable<Progress['active']>;
}

export interface ReadOnceOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: Progress) => void) | undefined;
  routes?: BlobRoutes | undefined;
  /** Said when the read is stopped (Cancel or Pause). */
  stoppedMessage: string;
  /** How many blobs' closing steps (fsync, the registry's PUT) may run while the read goes on. */
  endsInFlight?: number | undefined;
}

export interface ReadOnceResult {
  volumes: VolumeCheck[];
  problems: Problem[];
  /** A volume was missing, short or held a tar problem: what follows it was not checked. */
  streamBroken: boolean;
}

const ENDS_IN_FLIGHT = 3;

/**
 * The one sequential read of a bundle's volumes: each volume's sha256, the tar stream checked
 * entry by entry (every blob's digest with a deep checker) and, with `routes`, every blob's bytes
 * handed to its sinks as they go by. A sink is ended only once its blob matched; on the first
 * problem every open sink is aborted and the rest is only hashed, to name every bad volume.
 */
export async function readVolumesOnce(
  index: BundleIndex,
  set: VolumeSet,
  checker: TarChecker,
  events: BlobEvent[],
  opts: ReadOnceOptions,
): Promise<ReadOnceResult> {
  const problems: Problem[] = [];
  const volumes: VolumeCheck[] = [];
  const sinks = new BlobSinks(opts.routes, opts.endsInFlight ?? ENDS_IN_FLIGHT);
  const hasher = new ParallelHasher();
  let streamBroken = false;
  let bytesDone = 0;
  let current: string | undefined;
  const stopped = () => new FerryError('CANCELLED', opts.stoppedMessage);
  try {
    for (const [i, volume] of index.volumes.entries()) {
      if (opts.signal?.aborted) throw stopped();
      const file = set.pathOf(volume);
      const check: VolumeCheck = { file: volume.file, size: volume.size, expected: volume.sha256, status: 'unchecked' };
      volumes.push(check);
      const stat = await fsp.stat(file).catch(() => undefined);
      const broken = !stat
        ? `Volume ${volume.file} is missing from ${set.dir}. Copy it from its disc into this folder.`
        : stat.size !== volume.size
          ? `Volume ${volume.file} is ${stat.size} bytes, expected ${volume.size}: it is truncated or damaged. Copy it again.`
          : undefined;
      if (broken) {
        check.status = stat ? 'wrong-size' : 'missing';
        streamBroken = true;
        await sinks.abortAll();
        problems.push({ code: 'INTEGRITY', volume: volume.file, message: broken });
        continue;
      }
      const hash = hasher.begin();
      const foundBefore = problems.length;
      const phase = () => `Reading volume ${i + 1} of ${index.volumes.length}${streamBroken ? '' : (opts.routes?.describe?.() ?? '')}`;
      // The chunk before this one may still be with the hashing thread and the sinks: the ring
      // refills a chunk's slot only when the one after next is asked for (readThroughRing).
      let previousHashed: Promise<void> = Promise.resolve();
      for await (const chunk of readVolumeThroughRing(file, volume.size)) {
        if (opts.signal?.aborted) throw stopped();
        // The volume is hashed on the hashing thread while this one checks the tar and feeds the targets.
        const hashed = hasher.update(hash, chunk);
        hashed.catch(() => undefined); // awaited by the next chunk; a throw before that must not leave it unhandled
        if (!streamBroken) {
          try {
            checker.feed(chunk);
          } catch (err) {
            streamBroken = true;
            events.length = 0;
            await sinks.abortAll();
            if (!(err instanceof FerryError)) throw err;
            problems.push({
              code: err.code,
              volume: volume.file,
              message: err.message,
              ...(typeof err.details.blob === 'string' ? { blob: err.details.blob } : {}),
            });
          }
          const handed = events.splice(0);
          for (const event of handed) if (event.type === 'start') current = event.digest;
          await sinks.pass(handed);
        }
        bytesDone += chunk.length;
        const item = (current && opts.routes?.itemOf?.(current)) || volume.file;
        const active = streamBroken ? undefined : opts.routes?.active?.();
        opts.onProgress?.({ bytesDone, bytesTotal: index.tar.size, item, phase: phase(), ...(active ? { active } : {}) });
        await previousHashed;
        previousHashed = hashed;
      }
      await previousHashed;
      await sinks.drain();
      check.actual = await hasher.digest(hash);
      check.status = check.actual === volume.sha256 ? 'ok' : 'mismatch';
      if (check.status === 'mismatch') {
        await sinks.abortAll();
        // Damaged media come first: they explain whatever else this volume's bytes broke (a blob's digest, the tar's padding).
        problems.splice(foundBefore, 0, {
          code: 'INTEGRITY',
          volume: volume.file,
          message: `Volume ${volume.file} does not match SHA256SUMS (it hashes to ${check.actual}): it is damaged or was altered. Copy it again from its disc.`,
        });
      }
    }
    await sinks.finish();
  } catch (err) {
    const paused = await sinks.abortAll();
    // Stopped mid-upload: where the upload stands says more than "stopped".
    throw err instanceof FerryError && err.code === 'CANCELLED' && paused ? paused : err;
  } finally {
    await hasher.close();
  }
  return { volumes, problems, streamBroken };
}

/** The sinks of the blob being read, and the blobs still finishing behind it. */
class BlobSinks {
  private readonly open = new Map<string, BlobSink>();
  private ending: { sink: BlobSink; done: Promise<void> }[] = [];
  /** The previous chunk's events, still being handed to their sinks while the next chunk is checked. */
  private passing: Promise<void> = Promise.resolve();
  private routes: BlobRoutes | undefined;

  constructor(
    routes: BlobRoutes | undefined,
    private readonly endsInFlight: number,
  ) {
    this.routes = routes;
  }

  /**
   * Hands one chunk's events to their sinks, in order, once the previous chunk's are written;
   * returns without waiting for these, so the next chunk is hashed while they are written.
   */
  async pass(events: BlobEvent[]): Promise<void> {
    await this.passing;
    this.passing = (async () => {
      for (const event of events) await this.handle(event);
    })();
    this.passing.catch(() => undefined); // awaited by the next pass, drain or abortAll
  }

  /** Every chunk passed so far is with its sinks: the read's buffers may be refilled. */
  async drain(): Promise<void> {
    await this.passing;
  }

  private async handle(event: BlobEvent): Promise<void> {
    if (!this.routes) return;
    if (event.type === 'start') {
      const sink = await this.routes.open(event.digest);
      if (sink) this.open.set(event.digest, sink);
      return;
    }
    const sink = this.open.get(event.digest);
    if (!sink) return;
    if (event.type === 'data') return sink.write(event.piece);
    this.open.delete(event.digest);
    const done = sink.end();
    done.catch(() => undefined); // awaited below, or in finish
    this.ending.push({ sink, done });
    while (this.ending.length > this.endsInFlight) await this.ending.shift()!.done;
  }

  /** After the last volume: every blob's closing step has run. */
  async finish(): Promise<void> {
    await this.drain();
    while (this.ending.length > 0) await this.ending.shift()!.done;
  }

  /** Nothing more is routed; open sinks are aborted and finishing ones awaited (the caller discards them). Returns a sink's word on where it paused. */
  async abortAll(): Promise<FerryError | undefined> {
    this.routes = undefined;
    // No sink is aborted under a write in flight; a write stopped by a pause says where it stood.
    const passing = await Promise.allSettled([this.passing]);
    const open = [...this.open.values()];
    this.open.clear();
    const settled = [...passing, ...(await Promise.allSettled([...open.map((s) => s.abort()), ...this.ending.map((e) => e.done)]))];
    this.ending = [];
    for (const s of settled) if (s.status === 'rejected' && s.reason instanceof FerryError && s.reason.details.paused) return s.reason;
    return undefined;
  }
}

import type { JobProgress } from '../../shared/rpc.js';
import { RateMeter, type Progress } from '../util/progress.js';

/** Progress reaches the UI a few times a second at most, whatever the engine reports. */
const INTERVAL_MS = 250;
/** No bytes for this long is a stall: the progress then says what the job waits for. */
export const STALL_MS = 10_000;

/**
 * Turns what a use case reports into what a job shows: throttled; within one phase the bytes only
 * grow (a blob started over does not move the bar back); rate and time left per phase; and, when
 * no byte has moved for STALL_MS, what the job waits for (a registry retrying) with no time left
 * claimed. `tick` is called on a timer so a stall shows while nothing reports.
 */
export class ProgressReporter {
  private meter = new RateMeter();
  private last: Progress | null = null;
  private lastPost = 0;
  private movedAt: number;
  private waiting: string | undefined;

  constructor(
    private readonly post: (progress: JobProgress) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.movedAt = now();
  }

  report(p: Progress): void {
    const now = this.now();
    const samePhase = this.last !== null && (this.last.phase ?? '') === (p.phase ?? '');
    if (!samePhase) this.meter = new RateMeter();
    const bytesDone = samePhase ? Math.max(p.bytesDone, this.last!.bytesDone) : p.bytesDone;
    if (!samePhase || bytesDone > this.last!.bytesDone) this.movedAt = now;
    // A total of 0 is a phase that cannot say how far it is (checking the targets): it stays 0.
    this.last = { ...p, bytesDone, bytesTotal: p.bytesTotal === 0 ? 0 : Math.max(p.bytesTotal, bytesDone) };
    this.meter.add(bytesDone, now);
    const finished = p.bytesTotal > 0 && bytesDone >= p.bytesTotal;
    if (samePhase && now - this.lastPost < INTERVAL_MS && !finished) return;
    this.send(now);
  }

  /** What the job waits for now (undefined: it is not waiting); shown at once. */
  wait(text: string | undefined): void {
    this.waiting = text;
    if (this.last) this.send(this.now());
  }

  /** Called every second or so: a stall shows even when nothing reports. */
  tick(): void {
    const now = this.now();
    if (this.last && now - this.movedAt >= STALL_MS) this.send(now);
  }

  private send(now: number): void {
    const p = this.last!;
    this.lastPost = now;
    const stalled = now - this.movedAt >= STALL_MS;
    const rate = stalled ? 0 : this.meter.rate();
    const waiting = this.waiting ?? (stalled ? `nothing has moved for ${Math.round((now - this.movedAt) / 1000)} s` : undefined);
    const { waiting: _reported, ...rest } = p;
    this.post({
      ...rest,
      rate,
      etaSeconds: rate > 0 && !waiting && p.bytesTotal > 0 ? (p.bytesTotal - p.bytesDone) / rate : null,
      ...(waiting ? { waiting } : {}),
    });
  }
}

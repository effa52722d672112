import { formatBytes } from '../../shared/sizes.js';

/** How far a long job is: bytes done of the total, and what it is doing now. */
export interface Progress {
  bytesDone: number;
  bytesTotal: number;
  /** What is being done now, in the user's words: the model, image or file being written. */
  item: string;
  /** The phase a person reads, e.g. "Reading volume 3 of 12 and pushing: 14 of 40 blobs"; bytesDone only grows within one phase. */
  phase?: string;
  /** What a stalled job waits for, e.g. "the registry is not answering: retry 2 of 5 in 8 s". */
  waiting?: string;
  /** Blobs in flight when several move at once (a registry push). */
  active?: { digest: string; repository?: string; bytesDone: number; bytesTotal: number }[];
}

const REDRAW_MS = 200;
const RATE_WINDOW_MS = 5000;

/** A terminal progress line's time left: "4:05", "1:02:03" (the wizard says it in words: renderer formatDuration). */
export function formatClock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** Rate over a sliding window, so a stall shows up quickly and a burst does not flatter the ETA. */
export class RateMeter {
  private samples: { at: number; bytes: number }[] = [];

  add(bytesDone: number, at = Date.now()): void {
    this.samples.push({ at, bytes: bytesDone });
    while (this.samples.length > 2 && at - this.samples[0]!.at > RATE_WINDOW_MS) this.samples.shift();
  }

  /** Bytes per second, or 0 before there is anything to measure. */
  rate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at === first.at) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }
}

export function describeProgress(p: Progress, rate: number): string {
  const what = p.phase ? `${p.phase}: ${p.item}` : p.item;
  if (p.bytesTotal === 0) return `${p.waiting ? `waiting: ${p.waiting}  ` : ''}${what}`;
  const percent = Math.floor((p.bytesDone / p.bytesTotal) * 100);
  const eta = p.waiting ? `waiting: ${p.waiting}` : `ETA ${rate > 0 ? formatClock((p.bytesTotal - p.bytesDone) / rate) : '--:--'}`;
  return `${String(percent).padStart(3)}%  ${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)}  ${formatBytes(Math.round(rate))}/s  ${eta}  ${what}`;
}

/** A one-line progress display on a terminal (stderr); silent when stderr is not a TTY. */
export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): { update: (p: Progress) => void; done: () => void } {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const meter = new RateMeter();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      meter.add(p.bytesDone, now);
      if (now - lastDraw < REDRAW_MS && p.bytesDone < p.bytesTotal) return;
      lastDraw = now;
      const width = stream.columns || 100;
      const text = `${label} ${describeProgress(p, meter.rate())}`;
      stream.write(`\r${text.length > width - 1 ? text.slice(0, width - 2) + '…' : text.padEnd(width - 1)}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}

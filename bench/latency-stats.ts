/** The latency probe: app.ping at a steady rate over the host's WebSocket, and the percentiles of its answers. */
import type { WsRpc } from '../main/testing/ws-client.js';

export interface Sample {
  /** performance.now() when the ping was sent. */
  sentAt: number;
  /** Round trip in ms; null if no answer came. */
  ms: number | null;
}

export interface Stats {
  n: number;
  lost: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function statsOf(samples: Sample[]): Stats {
  const answered = samples.filter((s) => s.ms !== null).map((s) => s.ms!);
  const sorted = answered.sort((a, b) => a - b);
  return {
    n: samples.length,
    lost: samples.length - sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/**
 * Sends `app.ping` every `intervalMs` on a fixed schedule, without waiting for earlier answers, until
 * stop() is called; stop() then waits (up to 10 s) for the pings still in flight.
 */
export function pinger(rpc: WsRpc, intervalMs: number) {
  const samples: Sample[] = [];
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let next = performance.now();
  const send = () => {
    const sample: Sample = { sentAt: performance.now(), ms: null };
    samples.push(sample);
    const answered = rpc.call('app.ping').then((answer) => {
      if (answer.ok) sample.ms = performance.now() - sample.sentAt;
    });
    inFlight.add(answered);
    void answered.finally(() => inFlight.delete(answered));
  };
  const tick = () => {
    if (stopped) return;
    send();
    next += intervalMs;
    const now = performance.now();
    if (next < now) next = now; // this process was late: no burst of catch-up pings
    timer = setTimeout(tick, next - now);
  };
  tick();
  return {
    samples,
    async stop(): Promise<Sample[]> {
      stopped = true;
      clearTimeout(timer);
      await Promise.race([Promise.all([...inFlight]), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      return samples;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The host, as `ferry serve` runs it

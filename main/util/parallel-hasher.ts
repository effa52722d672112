import { Worker } from 'node:worker_threads';

/** Bytes allowed in flight to the hashing thread before update() waits: memory stays flat. */
const MAX_IN_FLIGHT = 8 * 1024 * 1024;

/**
 * SHA-256 on another thread, so a stream can be hashed there while this thread hashes or writes
 * something else (the bundle writer hashes each blob here and each volume on its own thread).
 */
export class ParallelHasher {
  private readonly worker = new Worker(new URL('./hash-worker-thread.js', import.meta.url));
  private nextId = 1;
  private inFlight = 0;
  private drained: (() => void)[] = [];
  private readonly digests = new Map<number, (hex: string) => void>();
  private failure: Error | undefined;

  constructor() {
    this.worker.on('message', (message: { type: 'ack'; bytes: number } | { type: 'digest'; id: number; hex: string }) => {
      if (message.type === 'ack') {
        this.inFlight -= message.bytes;
        if (this.inFlight <= MAX_IN_FLIGHT / 2) for (const wake of this.drained.splice(0)) wake();
      } else {
        this.digests.get(message.id)?.(message.hex);
        this.digests.delete(message.id);
      }
    });
    this.worker.on('error', (err) => {
      this.failure = err;
      for (const wake of this.drained.splice(0)) wake();
    });
  }

  begin(): number {
    return this.nextId++;
  }

  /** Queues a copy of `chunk` for session `id`; waits only when too much is in flight. */
  async update(id: number, chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.inFlight += chunk.byteLength;
    this.worker.postMessage({ type: 'update', id, data: chunk });
    if (this.inFlight > MAX_IN_FLIGHT) await new Promise<void>((resolve) => this.drained.push(resolve));
    if (this.failure) throw this.failure;
  }

  /** The hex sha256 of everything given to session `id`. */
  digest(id: number): Promise<string> {
    return new Promise((resolve) => {
      this.digests.set(id, resolve);
      this.worker.postMessage({ type: 'digest', id });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

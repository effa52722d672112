import { Worker } from 'node:worker_threads';

/**
 * Bytes go to the hashing thread through slots of one shared buffer: a message then carries only
 * a slot number and a length. Posting the chunks themselves copied each one through the structured
 * clone (and left it to the garbage collector on both threads): about half of an export's CPU.
 */
const SLOT_BYTES = 1024 * 1024;
/** Slots in flight before update() waits: memory stays flat (8 MiB) whatever the size. */
const SLOTS = 8;
/**
 * A sender's shared buffer goes to the thread once and is then named by a number: posting the
 * buffer with every chunk cost about half a millisecond a message. The thread keeps the last few.
 */
const KEPT_SHARED = 4;

export type HashWorkerMessage =
  | { type: 'update'; id: number; slot: number; length: number }
  | { type: 'share'; key: number; buffer: SharedArrayBuffer }
  | { type: 'forget'; key: number }
  | { type: 'update-shared'; id: number; seq: number; key: number; offset: number; length: number }
  | { type: 'digest'; id: number };
export type HashThreadMessage = { type: 'free'; slot: number } | { type: 'hashed'; seq: number } | { type: 'digest'; id: number; hex: string };

interface FillingSlot {
  slot: number;
  id: number;
  filled: number;
}

/**
 * SHA-256 on another thread, so a stream can be hashed there while this thread reads or writes
 * (the bundle writer hashes each blob on one and each volume on another; the import hashes each
 * volume on one). A chunk in a SharedArrayBuffer (readThroughRing) is hashed where it lies.
 */
export class ParallelHasher {
  private readonly shared = new SharedArrayBuffer(SLOT_BYTES * SLOTS);
  private readonly bytes = new Uint8Array(this.shared);
  private readonly worker = new Worker(new URL('./hash-worker-thread.js', import.meta.url), {
    workerData: { shared: this.shared, slotBytes: SLOT_BYTES },
  });
  private readonly free: number[] = Array.from({ length: SLOTS }, (_, i) => i);
  private filling: FillingSlot | undefined;
  private waiting: (() => void)[] = [];
  private nextId = 1;
  private readonly hashing = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private nextSeq = 1;
  /** The shared buffers the thread holds, oldest first. */
  private readonly sharedKeys = new Map<SharedArrayBuffer, number>();
  private nextKey = 1;
  private readonly digests = new Map<number, { resolve: (hex: string) => void; reject: (err: Error) => void }>();
  private failure: Error | undefined;
  /** Settles when the last update() called has its chunk in line (posted, or copied into slots). */
  private lastPlaced: Promise<void> = Promise.resolve();

  constructor() {
    this.worker.on('message', (message: HashThreadMessage) => {
      if (message.type === 'free') {
        this.free.push(message.slot);
        this.waiting.shift()?.();
      } else if (message.type === 'hashed') {
        this.hashing.get(message.seq)?.resolve();
        this.hashing.delete(message.seq);
      } else {
        this.digests.get(message.id)?.resolve(message.hex);
        this.digests.delete(message.id);
      }
    });
    this.worker.on('error', (err) => {
      this.failure = err;
      for (const wake of this.waiting.splice(0)) wake();
      for (const pending of [...this.digests.values(), ...this.hashing.values()]) pending.reject(err);
      this.digests.clear();
      this.hashing.clear();
    });
  }

  begin(): number {
    return this.nextId++;
  }

  /**
   * Adds `chunk` to session `id`; resolves when `chunk` may be reused. A chunk in a SharedArrayBuffer
   * is hashed in place (resolves once hashed); any other is copied into a slot (resolves once copied,
   * waiting only while every slot is in flight). Calls may overlap (a writer keeps one chunk in
   * flight): each chunk is placed only after the one before it, so a session's bytes keep their order.
   */
  update(id: number, chunk: Uint8Array): Promise<void> {
    const placed = this.lastPlaced.then(() => this.place(id, chunk));
    this.lastPlaced = placed.then(
      () => undefined,
      () => undefined,
    );
    return placed.then(({ hashed }) => hashed);
  }

  /** Puts `chunk` in line for the thread: posted where it lies, or copied into slots. */
  private async place(id: number, chunk: Uint8Array): Promise<{ hashed?: Promise<void> }> {
    if (this.failure) throw this.failure;
    if (chunk.buffer instanceof SharedArrayBuffer) return { hashed: this.hashInPlace(id, chunk) };
    let at = 0;
    while (at < chunk.byteLength) {
      if (this.filling?.id !== id) {
        const free = await this.take();
        // Set only now, with no await before the copy: a slot taken by another session meanwhile is sent first.
        if (this.filling) this.send();
        this.filling = { slot: free, id, filled: 0 };
      }
      const slot = this.filling!;
      const n = Math.min(SLOT_BYTES - slot.filled, chunk.byteLength - at);
      this.bytes.set(chunk.subarray(at, at + n), slot.slot * SLOT_BYTES + slot.filled);
      slot.filled += n;
      at += n;
      if (slot.filled === SLOT_BYTES) this.send();
    }
    return {};
  }

  /** The hex sha256 of everything given to session `id` (after every update called before it). */
  async digest(id: number): Promise<string> {
    await this.lastPlaced;
    if (this.failure) throw this.failure;
    if (this.filling?.id === id) this.send();
    return new Promise((resolve, reject) => {
      this.digests.set(id, { resolve, reject });
      this.post({ type: 'digest', id });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private hashInPlace(id: number, chunk: Uint8Array): Promise<void> {
    if (this.filling) this.send(); // what this session (or another) has in a slot goes first
    const seq = this.nextSeq++;
    return new Promise((resolve, reject) => {
      this.hashing.set(seq, { resolve, reject });
      this.post({ type: 'update-shared', id, seq, key: this.keyOf(chunk.buffer as SharedArrayBuffer), offset: chunk.byteOffset, length: chunk.byteLength });
    });
  }

  /** The number the thread knows `buffer` by; sends it the first time, and has the thread forget the oldest beyond KEPT_SHARED. */
  private keyOf(buffer: SharedArrayBuffer): number {
    const known = this.sharedKeys.get(buffer);
    if (known !== undefined) return known;
    const key = this.nextKey++;
    this.sharedKeys.set(buffer, key);
    this.post({ type: 'share', key, buffer });
    if (this.sharedKeys.size > KEPT_SHARED) {
      const [oldest, oldKey] = this.sharedKeys.entries().next().value!;
      this.sharedKeys.delete(oldest);
      this.post({ type: 'forget', key: oldKey }); // after every update that names it: messages stay in order
    }
    return key;
  }

  private async take(): Promise<number> {
    while (this.free.length === 0 && !this.failure) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failure) throw this.failure;
    return this.free.shift()!;
  }

  private send(): void {
    const slot = this.filling!;
    this.filling = undefined;
    this.post({ type: 'update', id: slot.id, slot: slot.slot, length: slot.filled });
  }

  private post(message: HashWorkerMessage): void {
    this.worker.postMessage(message);
  }
}

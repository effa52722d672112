/**
 * Flush to the medium as we go, not all at the end: the disk then works while the next bytes are
 * read and hashed, the final fsync finds little left to do, and progress reflects bytes on the
 * medium rather than in the page cache (a USB stick can otherwise sit at "100%" for minutes).
 */
const FLUSH_EVERY = 64 * 1024 * 1024;
/** At most this many bytes wait for the medium before the writer waits for it. */
const MAX_UNFLUSHED = 512 * 1024 * 1024;

/** Starts an fdatasync every FLUSH_EVERY bytes written, one at a time, in the background. */
export class FlushBehind {
  private unflushed = 0;
  private flushing: Promise<void> | undefined;

  constructor(private readonly datasync: () => Promise<void>) {}

  /** Call after `bytes` more were written; waits only while too much waits for the medium. */
  async wrote(bytes: number): Promise<void> {
    this.unflushed += bytes;
    if (this.flushing && this.unflushed >= MAX_UNFLUSHED) await this.flushing;
    if (this.flushing || this.unflushed < FLUSH_EVERY) return;
    const covered = this.unflushed;
    this.flushing = this.datasync().then(() => {
      this.unflushed -= covered;
      this.flushing = undefined;
    });
    // A failed flush surfaces at the final fsync; it must not go unhandled meanwhile.
    this.flushing.catch(() => undefined);
  }

  /** The flush in flight, if any, is over (whatever its outcome): the file may be synced or closed. */
  async settled(): Promise<void> {
    await this.flushing?.catch(() => undefined);
  }
}

/**
 * Where one blob's bytes go while the bundle is read once: a temp file in a target, an upload to a
 * registry. The reader hands over the bytes in order and calls `end` only once the blob's digest
 * (and etag) has matched; nothing a sink writes is visible under its final name before `commit`.
 */
export interface BlobSink {
  /** `piece` is the read's own buffer, refilled once this resolves: a sink that keeps it longer copies it. */
  write(piece: Buffer): Promise<void>;
  /** The blob matched its digest: finish it (fsync and close, or the closing PUT). */
  end(): Promise<void>;
  /** Drop what was written: temp files are removed; an upload is left to the registry (rejecting with where it paused). */
  abort(): Promise<void>;
}

/** One artifact's install, prepared against its target before the read and made visible after it. */
export interface StagedInstall<R> {
  /** The blobs this install still needs from the bundle (those already in the target are left out). */
  readonly needs: ReadonlySet<string>;
  /** Where the bytes of `digest` go (one of `needs`). */
  open(digest: string): Promise<BlobSink>;
  /** After every volume and every blob matched: renames, links, manifests, refs, tags. */
  commit(): Promise<R>;
  /** After a refusal, a failure or a pause: removes everything written that is not committed. */
  discard(): Promise<void>;
  /** The refusal of a blob whose bytes are not what its digest says, in this install's words. */
  refuse(digest: string, why: string): Error;
  /** The git blob sha1 the blob must also hash to (a Hugging Face file kept in git), if any. */
  gitSha1Of?(digest: string): string | undefined;
}

/** Several sinks fed the same bytes (one blob needed by two targets); a failure in one fails the lot. */
export function fanOut(sinks: readonly BlobSink[]): BlobSink {
  if (sinks.length === 1) return sinks[0]!;
  return {
    write: async (piece) => void (await Promise.all(sinks.map((s) => s.write(piece)))),
    end: async () => void (await Promise.all(sinks.map((s) => s.end()))),
    abort: async () => {
      const settled = await Promise.allSettled(sinks.map((s) => s.abort()));
      for (const s of settled) if (s.status === 'rejected') throw s.reason;
    },
  };
}

import { BlobHasher } from '../util/hash-file.js';
import type { ListedStore } from './store.js';
import type { BlobSink, StagedInstall } from './staged.js';

export interface FeedOptions {
  signal?: AbortSignal | undefined;
  onBytes?: ((n: number) => void) | undefined;
}

/**
 * Installs from a store that nobody has checked (a registry, files on this side): each needed blob
 * is streamed into its sink and hashed on the way, and only a blob that matches its digest (and
 * etag) is ended; then the install is committed. Any refusal or failure discards the lot. The
 * import does not come here: its one read of the bundle checks every blob itself.
 */
export async function installFromStore<R>(staged: StagedInstall<R>, store: ListedStore, opts: FeedOptions = {}): Promise<R> {
  try {
    for (const digest of staged.needs) {
      opts.signal?.throwIfAborted();
      const blob = store.find(digest);
      if (!blob) throw staged.refuse(digest, 'was not provided');
      const etag = staged.gitSha1Of?.(digest);
      const hasher = new BlobHasher(blob.size, etag !== undefined);
      const sink = await staged.open(digest);
      try {
        const received = await feed(sink, store, blob, hasher, opts, () => staged.refuse(digest, `is longer than its declared ${blob.size} bytes`));
        if (received !== blob.size) throw staged.refuse(digest, `is ${received} bytes, not the declared ${blob.size}`);
        const { sha256, gitSha1 } = hasher.digest();
        if (`sha256:${sha256}` !== digest) throw staged.refuse(digest, `does not match its digest (the bytes hash to sha256:${sha256})`);
        if (etag !== undefined && gitSha1 !== etag) throw staged.refuse(digest, `does not match its etag ${etag} (the bytes' git sha1 is ${gitSha1})`);
        await sink.end();
      } catch (err) {
        await sink.abort();
        throw err;
      }
    }
    opts.signal?.throwIfAborted();
    return await staged.commit();
  } catch (err) {
    await staged.discard();
    throw err;
  }
}

async function feed(
  sink: BlobSink,
  store: ListedStore,
  blob: { digest: string; size: number },
  hasher: BlobHasher,
  opts: FeedOptions,
  tooLong: () => Error,
): Promise<number> {
  let received = 0;
  for await (const chunk of store.fetch(blob) as AsyncIterable<Buffer>) {
    opts.signal?.throwIfAborted();
    received += chunk.length;
    if (received > blob.size) throw tooLong();
    hasher.update(chunk);
    await sink.write(chunk);
    opts.onBytes?.(chunk.length);
  }
  return received;
}

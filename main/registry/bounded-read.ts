import { FerryError } from '../util/errors.js';
import { REGISTRY_MANIFEST_LIMIT } from './manifest.js';

/**
 * How much Ferry reads of what a registry (or its token service) sends, so memory stays flat
 * whatever it sends. Blobs are streamed and checked against their descriptor's size elsewhere.
 */
export const READ_LIMITS = {
  /** Registries refuse manifests over 4 MiB; the margin tolerates one that stores a little more. */
  manifest: REGISTRY_MANIFEST_LIMIT + 1024 * 1024,
  /** A token answer is a JWT or two and a few fields; big tokens with many scopes stay far below this. */
  token: 1024 * 1024,
  /** An error body is only ever shown in part. */
  error: 64 * 1024,
} as const;

type Headers = Record<string, string | string[] | undefined>;

interface ResponseBody {
  headers: Headers;
  body: AsyncIterable<Buffer> & { destroy?(): unknown };
}

function formatLimit(limit: number): string {
  const mib = limit / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : Number.isInteger(limit / 1024) ? `${limit / 1024} KiB` : `${limit} bytes`;
}

function declaredLength(headers: Headers): number | null {
  const value = headers['content-length'];
  const n = Number(Array.isArray(value) ? value[0] : value);
  return value !== undefined && Number.isSafeInteger(n) ? n : null;
}

/**
 * The whole body, or REMOTE as soon as it passes `limit` bytes (a declared Content-Length over the
 * limit fails before reading). Leaving the loop early destroys the stream, so the rest is never read.
 */
export async function readBounded(res: ResponseBody, limit: number, what: string, details: Record<string, unknown> = {}): Promise<Buffer> {
  const tooLarge = () =>
    new FerryError(
      'REMOTE',
      `${what} is larger than ${formatLimit(limit)}, the most Ferry reads of it; the registry or something between is sending too much.`,
      { limit, ...details },
    );
  const declared = declaredLength(res.headers);
  const chunks: Buffer[] = [];
  let size = 0;
  if (declared !== null && declared > limit) {
    res.body.destroy?.();
    throw tooLarge();
  }
  for await (const chunk of res.body) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The first `limit` bytes of an error body as text; the rest is left unread. */
export async function readErrorText(body: AsyncIterable<Buffer>, limit: number = READ_LIMITS.error): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk.subarray(0, limit - size));
      size += Math.min(chunk.length, limit - size);
      if (size >= limit) break;
    }
  } catch {
    // A body cut short still has something worth showing.
  }
  return Buffer.concat(chunks).toString('utf8');
}

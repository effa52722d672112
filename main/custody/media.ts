import fsp from 'node:fs/promises';
import path from 'node:path';
import { eventOfType } from '../../shared/ledger-events.js';
import type { MediaRecord, MediaVerifyJobResult } from '../../shared/rpc.js';
import { openBundle } from '../bundle/open.js';
import type { Progress } from '../util/progress.js';
import type { Engine } from '../engine.js';
import { trustedKeysFor } from '../transfer/trusted-keys.js';
import { bundleFolderOn, untrusted } from '../transfer/stage.js';
import { FerryError, toEnvelope } from '../util/errors.js';
import { hashFile } from '../util/hash-file.js';

export interface MediaVerifyOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

/**
 * Reads every volume of a bundle found on a medium back in full and compares it with the signed
 * SHA256SUMS. Records media.written (which volumes this medium carries, its label, type and seal)
 * the first time the medium is seen with those volumes, then media.verified with the result.
 * A disc of a multi-disc bundle holds some volumes; the others are "elsewhere".
 */
export async function verifyMedia(engine: Engine, request: { dir: string; media: MediaRecord }, opts: MediaVerifyOptions = {}): Promise<MediaVerifyJobResult> {
  const medium = checkedMedium(request.media);
  const dir = await bundleFolderOn(path.resolve(request.dir));
  // This site's own key counts: the exporter verifies what it just wrote.
  const own = { fingerprint: engine.siteKey.fingerprint, publicKeyPem: engine.siteKey.publicKeyPem, file: 'site key' };
  const trusted = [own, ...(await trustedKeysFor(engine, []))];
  const opened = await openBundle(dir, trusted);
  if (!opened.signer.trusted) throw untrusted(opened.signer.fingerprint, trusted);
  const { index } = opened;
  const present = [];
  for (const volume of index.volumes) {
    const stat = await fsp.stat(path.join(dir, volume.file)).catch(() => undefined);
    if (stat?.isFile()) present.push({ volume, size: stat.size });
  }
  if (present.length === 0) {
    throw new FerryError(
      'NOT_FOUND',
      `${dir} holds the signed metadata of ${index.name} but none of its ${index.volumes.length} volumes. Copy the volumes onto the medium, then verify again.`,
      { file: dir },
    );
  }
  const bundle = opened.bundleDigest;
  const onIt = present.map((p) => p.volume.file);
  const already = engine.ledger
    .events({ type: 'media.written', bundle })
    .map(({ event }) => eventOfType(event, 'media.written'))
    .some((written) => written?.medium.id === medium.id && JSON.stringify(written.volumes) === JSON.stringify(onIt));
  if (!already) engine.ledger.append('media.written', { bundle, name: index.name, medium, volumes: onIt, dir });

  const bytesTotal = present.reduce((sum, p) => sum + p.volume.size, 0);
  let bytesDone = 0;
  const volumes: MediaVerifyJobResult['volumes'] = [];
  try {
    for (const { volume, size } of present) {
      if (opts.signal?.aborted) throw new FerryError('CANCELLED', 'Media verification was cancelled.');
      if (size !== volume.size) {
        volumes.push({ file: volume.file, size, expected: volume.sha256, status: 'wrong-size' });
        bytesDone += volume.size;
        continue;
      }
      const { sha256, bytesRead } = await hashFile(path.join(dir, volume.file), {
        signal: opts.signal,
        onBytes: (n) => {
          bytesDone += n;
          opts.onProgress?.({ bytesDone, bytesTotal, item: volume.file });
        },
      });
      const status = bytesRead !== volume.size ? 'wrong-size' : sha256 === volume.sha256 ? 'ok' : 'mismatch';
      volumes.push({ file: volume.file, size: bytesRead, expected: volume.sha256, actual: sha256, status });
    }
  } catch (err) {
    const envelope = toEnvelope(err);
    if ((err as Error).name === 'AbortError' || envelope.code === 'CANCELLED') throw new FerryError('CANCELLED', 'Media verification was cancelled.');
    throw err;
  }
  const ok = volumes.every((v) => v.status === 'ok');
  const elsewhere = index.volumes.filter((v) => !onIt.includes(v.file)).map((v) => v.file);
  const { seq } = engine.ledger.append('media.verified', {
    bundle,
    name: index.name,
    medium,
    dir,
    volumes: volumes.map((v) => ({ file: v.file, sha256: v.expected, result: v.status, ...(v.status !== 'ok' && v.actual ? { actual: v.actual } : {}) })),
    elsewhere,
    result: ok ? 'ok' : 'failed',
  });
  return { ok, bundleDigest: bundle, name: index.name, dir, media: medium, volumes, elsewhere, seq };
}

function checkedMedium(media: MediaRecord): MediaRecord {
  const id = media.id?.trim();
  const label = media.label?.trim();
  if (!id) throw new FerryError('USAGE', "Give the medium's serial number or asset tag (--media-id).", { field: 'media.id' });
  if (!label) throw new FerryError('USAGE', 'Give the label written on the medium (--label).', { field: 'media.label' });
  return { id, label, type: media.type, ...(media.seal?.trim() ? { seal: media.seal.trim() } : {}) };
}

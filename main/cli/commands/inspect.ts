import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { readBundleFileBounded } from '../../bundle/index-limits.js';
import { parseBundleIndex } from '../../bundle/open.js';
import { formatBytes } from '../../../shared/sizes.js';
import { BUNDLE_FILES } from '../../bundle/write.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs, onePositional } from '../args.js';
import type { Command } from '../command.js';
import { artifactLine } from '../output.js';

export const inspectCommand: Command = {
  name: 'inspect',
  usage: `ferry inspect DIR [--json]`,
  async run(args, { out }) {
    const { positionals } = parseCommandArgs('inspect', args, {});
    const dir = path.resolve(onePositional('inspect', positionals, 'bundle folder'));
    let raw: Buffer;
    try {
      raw = await readBundleFileBounded(dir, BUNDLE_FILES.index, 'INVALID_INPUT');
    } catch (err) {
      if (err instanceof FerryError) throw err;
      throw new FerryError('NOT_FOUND', `${path.join(dir, BUNDLE_FILES.index)} cannot be read: is ${dir} a Ferry bundle folder?`, { file: BUNDLE_FILES.index });
    }
    const index = parseBundleIndex(raw, 'INVALID_INPUT');
    const sums = await fsp.readFile(path.join(dir, BUNDLE_FILES.sums)).catch(() => undefined);
    const bundleDigest = sums ? `sha256:${createHash('sha256').update(sums).digest('hex')}` : null;
    const present = new Set(await fsp.readdir(dir));
    const volumes = index.volumes.map((v) => ({ ...v, present: present.has(v.file) }));
    const { ledger: _ledger, blobs, ...summary } = index;
    out.result({ ok: true, result: { ...summary, bundleDigest, blobCount: blobs.length, volumes, verified: false } });
    out.line(`Bundle ${index.name} (not verified: run ferry verify ${dir})`);
    out.line(`  bundle digest   ${bundleDigest ?? '(SHA256SUMS missing)'}`);
    out.line(`  created         ${index.createdAt} by ${index.createdBy.operator} on ${index.createdBy.host} (Ferry ${index.createdBy.ferryVersion})`);
    out.line(`  signer          ${index.signer}`);
    out.line(`  previous bundle ${index.previousBundle ?? '(none: the first from this exporter)'}`);
    out.line(`  volumes         ${index.volumes.length} of up to ${formatBytes(index.volumeSize)}`);
    for (const v of volumes) out.line(`    ${v.present ? 'here   ' : 'MISSING'}  ${v.file}  ${formatBytes(v.size)}  sha256 ${v.sha256}`);
    out.line(`  artifacts       ${index.artifacts.length}`);
    for (const a of index.artifacts) out.line(`    ${artifactLine(a)}`);
    return 0;
  },
};

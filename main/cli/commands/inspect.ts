import path from 'node:path';
import { formatBytes } from '../../../shared/sizes.js';
import { parseCommandArgs, onePositional } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';
import { artifactLine } from '../output.js';

export const inspectCommand: Command = {
  name: 'inspect',
  usage: `ferry inspect DIR [--json]`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('inspect', args, {});
    const dir = path.resolve(onePositional('inspect', positionals, 'bundle folder'));
    const bundle = await withClient(values, (client) => client.call('import.inspect', { dir }));
    out.result({ ok: true, result: bundle });
    out.line(`Bundle ${bundle.name} (not verified: run ferry verify ${dir})`);
    out.line(`  bundle digest   ${bundle.bundleDigest ?? '(SHA256SUMS missing)'}`);
    out.line(`  created         ${bundle.createdAt} by ${bundle.createdBy.operator} on ${bundle.createdBy.host} (Ferry ${bundle.createdBy.ferryVersion})`);
    out.line(`  signer          ${bundle.signer}`);
    out.line(`  previous bundle ${bundle.previousBundle ?? '(none: the first from this exporter)'}`);
    out.line(`  volumes         ${bundle.volumes.length} of up to ${formatBytes(bundle.volumeSize)}`);
    for (const v of bundle.volumes) out.line(`    ${v.present ? 'here   ' : 'MISSING'}  ${v.file}  ${formatBytes(v.size)}  sha256 ${v.sha256}`);
    out.line(`  artifacts       ${bundle.artifacts.length}`);
    for (const a of bundle.artifacts) out.line(`    ${artifactLine(a)}`);
    return 0;
  },
};

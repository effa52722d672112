import path from 'node:path';
import type { StageJobResult } from '../../../shared/rpc.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';
import { followJob } from '../job.js';
import type { Output } from '../output.js';

const list = (files: readonly string[]) => (files.length > 0 ? files.join(', ') : 'none');

function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function printStageResult(out: Output, result: StageJobResult, trustFiles: readonly string[]): void {
  out.line(`Bundle ${result.name}  ${result.bundleDigest}`);
  out.line(`  signer          ${result.signer.fingerprint} (signature valid; trusted)`);
  out.line(
    `  this disc       ${result.onThisDisc.length > 0 ? result.onThisDisc.join(', ') : 'no volumes of this bundle'}${result.volumesOnly ? ' (volumes only: checked against the signed SHA256SUMS already staged)' : ''}`,
  );
  out.line(`  copied          ${list(result.copied)}`);
  out.line(`  already staged  ${list(result.alreadyStaged)}`);
  if (result.complete) {
    const trust = trustFiles.map((f) => ` --trust ${shellWord(f)}`).join('');
    out.line(
      `All ${result.totalVolumes} volumes are staged: import with ferry import ${shellWord(result.to)}${trust} --to-ollama-store DIR (or --to-registry HOST[/PREFIX]).`,
    );
  } else {
    out.line(`Still missing: ${result.missing.join(', ')} — insert the next disc and run the same command.`);
  }
}

export const stageCommand: Command = {
  name: 'stage',
  usage: `ferry stage --from DIR --to STAGING [--trust PUB.pem]... [--media-id ID [--label TEXT] [--seal N]] [--json]

  --from DIR        the disc (its bundle folder, or a disc holding one bundle folder)
  --to STAGING      the staging folder: empty, or holding this bundle's earlier discs (created when missing)
  --trust PUB.pem   trust this signer for this run (beside keys pinned with ferry keys trust)
  --media-id ID     the disc's serial or asset tag, recorded with the staging (with --label, --seal)

  Copies the disc's volumes into STAGING, each verified against the signed SHA256SUMS as it is
  copied, and says which volumes are still missing. Run it once per disc, in any order; then
  ferry import STAGING. A disc staged again copies nothing again. A disc that holds volumes only is
  checked against the signed SHA256SUMS an earlier disc put in STAGING; an empty drive says so.
  Exit codes: 0 staged (complete or not), 3 refused (integrity, signature or trust), 1 failed, 2 usage.`,
  async run(args, { out, signal }) {
    const { values, positionals } = parseCommandArgs('stage', args, {
      from: { type: 'string' },
      to: { type: 'string' },
      trust: { type: 'string', multiple: true },
      'media-id': { type: 'string' },
      label: { type: 'string' },
      seal: { type: 'string' },
    });
    if (positionals.length > 0)
      throw new FerryError(
        'USAGE',
        `Unexpected argument ${positionals[0]}: name the disc with --from DIR and the staging folder with --to STAGING. See ferry stage --help.`,
      );
    if (!values.from) throw new FerryError('USAGE', 'Name the disc with --from DIR (for example --from /media/cdrom). See ferry stage --help.');
    if (!values.to) throw new FerryError('USAGE', 'Name the staging folder with --to STAGING. See ferry stage --help.');
    if ((values.label !== undefined || values.seal !== undefined) && !values['media-id']?.trim())
      throw new FerryError('USAGE', '--label and --seal describe a disc: give its id too with --media-id ID (the serial or asset tag).', {
        field: '--media-id',
      });
    const trustFiles = values.trust ?? [];
    const medium = values['media-id']?.trim()
      ? {
          id: values['media-id'].trim(),
          ...(values.label?.trim() ? { label: values.label.trim() } : {}),
          ...(values.seal?.trim() ? { seal: values.seal.trim() } : {}),
        }
      : undefined;
    const request = {
      from: path.resolve(values.from),
      to: path.resolve(values.to),
      ...(trustFiles.length > 0 ? { trust: trustFiles.map((f) => path.resolve(f)) } : {}),
      ...(medium ? { medium } : {}),
    };
    const result = await withClient(values, (client) =>
      followJob(client, () => client.call('import.stage', request), { signal, progressLabel: out.json ? undefined : 'stage' }),
    );
    out.result({ ok: true, result });
    printStageResult(out, result, trustFiles);
    return 0;
  },
};

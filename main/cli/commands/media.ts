import { countOf } from '../../../shared/count.js';
import path from 'node:path';
import { MediaType } from '../../../shared/rpc.js';
import { formatBytes } from '../../../shared/sizes.js';
import { DISPOSITIONS, type Disposition } from '../../custody/records.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { assertSignAsFlags, SIGN_AS_OPTIONS, signAsFromStdin } from '../sign-as.js';
import { withClient, type PersonFlags } from '../client.js';
import type { Command } from '../command.js';
import { followJob } from '../job.js';
import type { Output } from '../output.js';

const TYPES = MediaType.options;

function required(value: string | undefined, flag: string, what: string): string {
  if (!value?.trim()) throw new FerryError('USAGE', `Give ${what} with ${flag}. See ferry media --help.`, { field: flag });
  return value;
}

function yesNo(value: string | undefined, flag: string): boolean {
  if (value === 'yes') return true;
  if (value === 'no') return false;
  throw new FerryError('USAGE', `${flag} takes yes or no.`, { field: flag });
}

export const mediaCommand: Command = {
  name: 'media',
  usage: `ferry media verify DIR --media-id ID --label TEXT --type TYPE [--seal NUMBER] [--json]
      read every volume on the medium mounted at DIR back in full and compare it with the signed
      SHA256SUMS; records media.written and media.verified. Exit 3 on any mismatch.
      TYPE: ${TYPES.join(', ')}
ferry media handoff BUNDLE --from NAME [--from-role R] --to NAME [--to-role R] --place TEXT
      --seal-intact yes|no [--seal NUMBER] [--media-id ID]... [--notes TEXT]
      [--as NAME --passphrase-stdin]
      record that the bundle's media passed from one person to another (custody.handoff); at a
      receiving gate, before the import, give the bundle's full digest from the transfer form.
      --as: the receiver (--to, an enrolled person) accepts the media, signing with their passphrase
ferry media dispose BUNDLE --media-id ID --action ${DISPOSITIONS.join('|')} --method TEXT
      [--verified-by NAME [--verified-by-role R]] [--notes TEXT] [--as NAME --passphrase-stdin]
      record what became of a medium (media.disposition); the operator is who did it.
      --as: the witness (an enrolled person) signs it with their passphrase
ferry media due-after [DAYS]
      show, or set (1-3650, recorded as settings.changed), the days after a medium is first noted
      that its disposition is due on Home when no import of its bundle is recorded sooner

BUNDLE is the bundle digest (sha256:…) or at least 6 hex characters of it (see ferry ledger bundles);
a handoff also takes the full digest of a bundle this ledger does not know yet (its arrival).`,
  async run(args, { out, signal }) {
    const { values, positionals } = parseCommandArgs('media', args, {
      'media-id': { type: 'string', multiple: true },
      label: { type: 'string' },
      type: { type: 'string' },
      seal: { type: 'string' },
      from: { type: 'string' },
      'from-role': { type: 'string' },
      to: { type: 'string' },
      'to-role': { type: 'string' },
      place: { type: 'string' },
      'seal-intact': { type: 'string' },
      notes: { type: 'string' },
      action: { type: 'string' },
      method: { type: 'string' },
      'verified-by': { type: 'string' },
      'verified-by-role': { type: 'string' },
      ...SIGN_AS_OPTIONS,
    });
    const [sub, target, ...rest] = positionals;
    if (rest.length > 0) throw new FerryError('USAGE', `Unexpected argument ${rest[0]}. See ferry media --help.`);
    if (sub === 'due-after') return dueAfter(target, values, out);
    if (!target || !['verify', 'handoff', 'dispose'].includes(sub ?? ''))
      throw new FerryError('USAGE', 'Use media verify DIR, media handoff BUNDLE, media dispose BUNDLE or media due-after [DAYS]. See ferry media --help.');
    const ids = values['media-id'] ?? [];
    if (sub === 'verify' && values.as !== undefined) throw new FerryError('USAGE', '--as goes with media handoff or dispose.', { field: '--as' });
    assertSignAsFlags(values, sub === 'handoff' ? 'the receiver, accepting' : 'the witness', false);
    const as = values.as !== undefined ? await signAsFromStdin(values) : undefined;
    if (sub === 'verify') {
      if (ids.length !== 1) throw new FerryError('USAGE', "Give the medium's serial number or asset tag with --media-id ID (once).", { field: '--media-id' });
      const type = required(values.type, '--type', `the kind of medium (${TYPES.join(', ')})`);
      if (!(TYPES as readonly string[]).includes(type)) throw new FerryError('USAGE', `--type ${type} is not one of ${TYPES.join(', ')}.`, { field: '--type' });
      const media = {
        id: ids[0]!,
        label: required(values.label, '--label', 'the label written on the medium'),
        type: type as MediaType,
        ...(values.seal ? { seal: values.seal } : {}),
      };
      const result = await withClient(values, (client) =>
        followJob(client, () => client.call('media.verify', { dir: path.resolve(target), media }), {
          signal,
          progressLabel: out.json ? undefined : 'read-back',
        }),
      );
      out.result({ ok: result.ok, result });
      out.line(
        `${result.media.label} (${result.media.id}, ${result.media.type}${result.media.seal ? `, seal ${result.media.seal}` : ''}) holds ${countOf(result.volumes.length, 'volume')} of ${result.name} ${result.bundleDigest}`,
      );
      for (const v of result.volumes)
        out.line(
          `  ${v.status === 'ok' ? 'ok      ' : v.status.toUpperCase().padEnd(8)}  ${v.file}  ${formatBytes(v.size)}  ${v.expected}${v.actual && v.status !== 'ok' ? ` (read ${v.actual})` : ''}`,
        );
      if (result.elsewhere.length > 0) out.line(`  on other media: ${result.elsewhere.join(', ')}`);
      out.line(
        result.ok
          ? `Every volume on this medium reads back as signed. Recorded as ledger line ${result.seq}.`
          : `MISMATCH: do not use this medium. Rewrite it or use another, then verify again. Recorded as ledger line ${result.seq}.`,
      );
      return result.ok ? 0 : 3;
    }
    return withClient(values, async (client) => {
      if (sub === 'handoff') {
        const recorded = await client.call('custody.handoff', {
          bundle: target,
          from: { name: required(values.from, '--from', 'who handed the media over'), ...(values['from-role'] ? { role: values['from-role'] } : {}) },
          to: { name: values.to ?? as?.name ?? required(values.to, '--to', 'who received it'), ...(values['to-role'] ? { role: values['to-role'] } : {}) },
          ...(as ? { acceptedBy: as } : {}),
          place: required(values.place, '--place', 'where the handoff happened'),
          sealIntact: yesNo(values['seal-intact'], '--seal-intact'),
          ...(values.seal ? { seal: values.seal } : {}),
          media: ids,
          ...(values.notes !== undefined ? { notes: values.notes } : {}),
        });
        out.result({ ok: true, result: recorded });
        out.line(`Handoff of ${recorded.bundle}${as ? `, accepted and signed by ${as.name},` : ''} recorded as ledger line ${recorded.seq}.`);
        if (recorded.arrival)
          out.line('This ledger does not know the bundle yet: the handoff joins its chain of custody when it is imported (ferry import or ferry stage).');
        if (values['seal-intact'] === 'no')
          out.line(
            'The seal was not intact: this transfer is now flagged (ferry ledger flags). Note what was seen with --notes on a follow-up handoff or the review.',
          );
        return 0;
      }
      if (ids.length !== 1) throw new FerryError('USAGE', 'Name the one medium with --media-id ID.', { field: '--media-id' });
      const action = required(values.action, '--action', `what became of it (${DISPOSITIONS.join(', ')})`);
      if (!(DISPOSITIONS as readonly string[]).includes(action))
        throw new FerryError('USAGE', `--action ${action} is not one of ${DISPOSITIONS.join(', ')}.`, { field: '--action' });
      const recorded = await client.call('media.dispose', {
        bundle: target,
        media: ids[0]!,
        action: action as Disposition,
        method: required(values.method, '--method', 'how it was done'),
        ...(values['verified-by']
          ? { verifiedBy: { name: values['verified-by'], ...(values['verified-by-role'] ? { role: values['verified-by-role'] } : {}) } }
          : {}),
        ...(values.notes !== undefined ? { notes: values.notes } : {}),
        ...(as ? { witness: as } : {}),
      });
      out.result({ ok: true, result: recorded });
      out.line(`Disposition of ${ids[0]} (${action}) recorded as ledger line ${recorded.seq}.`);
      return 0;
    });
  },
};

async function dueAfter(days: string | undefined, person: PersonFlags, out: Output): Promise<number> {
  if (days !== undefined && !(/^[0-9]{1,4}$/.test(days) && Number(days) >= 1 && Number(days) <= 3650))
    throw new FerryError('USAGE', `DAYS "${days}": give a whole number of days, 1 to 3650.`, { field: 'DAYS' });
  return withClient(person, async (client) => {
    const set =
      days === undefined
        ? { days: (await client.call('app.info', {})).dispositionDueDays }
        : await client.call('settings.setDispositionDueDays', { days: Number(days) });
    out.result({ ok: true, result: set });
    out.line(
      `A medium's disposition is due ${set.days} day${set.days === 1 ? '' : 's'} after it is first noted, or once its bundle's import is recorded here.`,
    );
    return 0;
  });
}

import { groupedHex } from '../../../shared/hex-groups.js';
import type { PersonRecord } from '../../../shared/rpc.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';
import type { Output } from '../output.js';
import { assertSignAsFlags, SIGN_AS_OPTIONS } from '../sign-as.js';
import { readSecretLines } from '../stdin.js';

function printPerson(out: Output, p: PersonRecord): void {
  out.line(`${p.removed ? 'REMOVED ' : 'enrolled'}  ${p.name}${p.role ? ` (${p.role})` : ''}`);
  out.line(`          key ${groupedHex(p.fingerprint)}`);
  const by = p.enrolledBy.name === p.name ? 'self-signed' : `sponsored by ${p.enrolledBy.name}`;
  out.line(
    `          enrolled ${p.enrolledAt}, ${by} (ledger line ${p.seq})${p.removed ? `; removed ${p.removed.at} by ${p.removed.by.name}: ${p.removed.reason}` : ''}`,
  );
}

const USE = 'Use people list, people add NAME --role ROLE --passphrase-stdin, or people remove NAME --reason TEXT --as NAME --passphrase-stdin.';

export const peopleCommand: Command = {
  name: 'people',
  usage: `ferry people list [--json]                  everyone enrolled here: name, role, key fingerprint, who enrolled them
ferry people add NAME --role ROLE --passphrase-stdin [--as SPONSOR]
                                            enrol NAME with a new personal key (ECDSA P-256) sealed with
                                            their passphrase (line 1 of standard input, 8 characters or
                                            more). With the two-person rule on, an enrolled second person
                                            signs the enrolment: --as SPONSOR, their passphrase on line 2.
ferry people remove NAME --reason TEXT --as NAME --passphrase-stdin
                                            remove a person (signed; by someone else while the rule is on)

A person's decisions (approvals, rejections, the two-person rule, key revocations) are signed with
their key; the auditor's kit carries every enrolled public key and VERIFY.sh checks each signature.
The sealed key is kept in FERRY_HOME/people (an encrypted PKCS#8 PEM that openssl can read).`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('people', args, { role: { type: 'string' }, reason: { type: 'string' }, ...SIGN_AS_OPTIONS });
    const [sub, name, ...rest] = positionals;
    if (rest.length > 0 || !sub || !['list', 'add', 'remove'].includes(sub)) throw new FerryError('USAGE', USE);
    if (sub === 'list' && name !== undefined) throw new FerryError('USAGE', 'people list takes no argument.');
    if (sub !== 'list' && !name?.trim()) throw new FerryError('USAGE', `people ${sub} needs the person's NAME.`, { field: 'name' });
    if (values.reason !== undefined && sub !== 'remove') throw new FerryError('USAGE', '--reason goes with people remove.', { field: '--reason' });
    let secrets: string[] = [];
    if (sub === 'add') {
      if (!values.role?.trim())
        throw new FerryError('USAGE', 'Give the person\'s role with --role ROLE (for example "security officer").', { field: '--role' });
      if (!values['passphrase-stdin'])
        throw new FerryError('USAGE', `Give ${name!.trim()}'s new passphrase on standard input with --passphrase-stdin (never as an argument).`, {
          field: '--passphrase-stdin',
        });
      secrets = await readSecretLines(values.as?.trim() ? [name!.trim(), values.as.trim()] : [name!.trim()]);
    } else if (sub === 'remove') {
      if (!values.reason?.trim()) throw new FerryError('USAGE', 'Say why with --reason TEXT (recorded with the removal).', { field: '--reason' });
      assertSignAsFlags(values, 'who removes them', true);
      secrets = await readSecretLines([values.as!.trim()]);
    }
    return withClient(values, async (client) => {
      if (sub === 'list') {
        const { people, twoPersonRule } = await client.call('people.list', {});
        out.result({ ok: true, result: { people, twoPersonRule } });
        if (people.length === 0) out.line('Nobody is enrolled yet: ferry people add NAME --role ROLE --passphrase-stdin.');
        for (const p of people) printPerson(out, p);
        return 0;
      }
      const person =
        sub === 'add'
          ? await client.call('people.add', {
              name: name!.trim(),
              role: values.role!.trim(),
              passphrase: secrets[0]!,
              ...(values.as?.trim() ? { sponsor: { name: values.as.trim(), passphrase: secrets[1]! } } : {}),
            })
          : await client.call('people.remove', { name: name!.trim(), reason: values.reason!.trim(), as: { name: values.as!.trim(), passphrase: secrets[0]! } });
      out.result({ ok: true, result: person });
      printPerson(out, person);
      out.line(sub === 'add' ? `Enrolled; ${person.name}'s decisions are now signed with this key.` : 'Removed; this key signs nothing from now on.');
      return 0;
    });
  },
};

import fs from 'node:fs/promises';
import path from 'node:path';
import { groupedHex } from '../../../shared/hex-groups.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';
import { assertSignAsFlags, SIGN_AS_OPTIONS, signAsFromStdin } from '../sign-as.js';

async function readKeyFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    throw new FerryError('NOT_FOUND', `Cannot read the key file ${file}.`, { file });
  }
}

const SUBCOMMANDS = ['show', 'export-public', 'trust', 'list', 'revoke'];

export const keysCommand: Command = {
  name: 'keys',
  usage: `ferry keys show [--json]                 this site's key fingerprint and the trusted keys
ferry keys export-public FILE           write this site's public key (give it to the importing site)
ferry keys trust FILE [--name TEXT] [--as NAME --passphrase-stdin]
                                        trust another site's public key (check its fingerprint first);
                                        --name records whose key it is. Once people are enrolled here,
                                        NAME, one of them, signs it (key.trusted; passphrase on stdin)
ferry keys list [--json]                every key trusted here: fingerprint, whose, trusted when and by
                                        whom, and any revocation
ferry keys revoke FINGERPRINT --reason TEXT --as NAME --passphrase-stdin
                                        withdraw trust in a key (key.revoked, signed by NAME, an
                                        enrolled person; passphrase on standard input): bundles it
                                        signed are refused from now on, naming the revocation`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('keys', args, { name: { type: 'string' }, reason: { type: 'string' }, ...SIGN_AS_OPTIONS });
    const [sub, file, ...rest] = positionals;
    if (rest.length > 0 || !sub) throw new FerryError('USAGE', 'Use show, export-public FILE, trust FILE, list or revoke FINGERPRINT. See ferry keys --help.');
    if (!SUBCOMMANDS.includes(sub)) throw new FerryError('USAGE', `Unknown subcommand ${sub}. Use show, export-public, trust, list or revoke.`);
    if ((sub === 'show' || sub === 'list') && file) throw new FerryError('USAGE', `keys ${sub} takes no argument.`);
    if (sub === 'export-public' && !file) throw new FerryError('USAGE', 'keys export-public needs the FILE to write.');
    if (sub === 'trust' && !file) throw new FerryError('USAGE', 'keys trust needs the public key FILE.');
    if (sub === 'revoke' && !file) throw new FerryError('USAGE', 'keys revoke needs the FINGERPRINT of the key (see ferry keys list).');
    if (values.name !== undefined && sub !== 'trust') throw new FerryError('USAGE', '--name goes with keys trust.', { field: '--name' });
    if (values.reason !== undefined && sub !== 'revoke') throw new FerryError('USAGE', '--reason goes with keys revoke.', { field: '--reason' });
    if (sub === 'revoke' && !values.reason?.trim())
      throw new FerryError('USAGE', 'Say why the key is revoked with --reason TEXT (it is recorded in the ledger).', { field: '--reason' });
    const signs = sub === 'revoke' || sub === 'trust';
    if (!signs && values.as !== undefined) throw new FerryError('USAGE', '--as goes with keys trust and keys revoke.', { field: '--as' });
    if (signs) assertSignAsFlags(values, sub === 'revoke' ? 'who revokes it' : 'who trusts it', sub === 'revoke');
    const as = signs && values.as !== undefined ? await signAsFromStdin(values) : undefined;
    return withClient(values, async (client) => {
      if (sub === 'trust') {
        const source = path.resolve(file!);
        const key = await client
          .call('keys.trust', { pem: await readKeyFile(source), source, ...(values.name?.trim() ? { name: values.name.trim() } : {}), ...(as ? { as } : {}) })
          .catch((err: unknown) => {
            if (err instanceof FerryError && err.details.signAs === 'needed') {
              throw new FerryError(
                'USAGE',
                'People are enrolled at this site, so an enrolled person signs each key trusted: add --as NAME --passphrase-stdin (see ferry people list).',
                {
                  field: '--as',
                },
              );
            }
            throw err;
          });
        out.result({ ok: true, result: key });
        out.line(
          `Trusted ${key.fingerprint}${values.name?.trim() ? ` (${values.name.trim()})` : ''}${as ? `, signed by ${as.name}` : ''}. Bundles signed by this key will now import.`,
        );
        return 0;
      }
      if (sub === 'list') {
        const { keys } = await client.call('keys.list', {});
        out.result({ ok: true, result: { keys } });
        if (keys.length === 0) out.line('No trusted keys yet: ferry keys trust FILE --name TEXT.');
        for (const k of keys) {
          const who = k.trustedBy ? `trusted ${k.trustedAt} by ${k.trustedBy.name}` : 'trusted before names were recorded';
          out.line(`${k.revoked ? 'REVOKED ' : 'trusted '} ${groupedHex(k.fingerprint)}  ${k.name ?? '(no name recorded)'}`);
          out.line(`          ${who}${k.revoked ? `; revoked ${k.revoked.at} by ${k.revoked.by.name}: ${k.revoked.reason}` : ''}`);
        }
        return 0;
      }
      if (sub === 'revoke') {
        const revoked = await client.call('keys.revoke', { fingerprint: file!, reason: values.reason!.trim(), as: as! });
        out.result({ ok: true, result: revoked });
        out.line(`Revoked ${revoked.fingerprint}, signed and recorded as ledger line ${revoked.seq}. Bundles signed by this key are refused from now on.`);
        return 0;
      }
      const keys = await client.call('keys.show', {});
      if (sub === 'export-public') {
        await writeFileAtomic(path.resolve(file!), keys.publicKeyPem);
        out.result({ ok: true, result: { file: path.resolve(file!), fingerprint: keys.fingerprint } });
        out.line(`Wrote ${path.resolve(file!)}; fingerprint ${keys.fingerprint}. Send the fingerprint by a separate channel (the transfer form).`);
        return 0;
      }
      out.result({ ok: true, result: keys });
      out.line(`Site key fingerprint  ${keys.fingerprint}`);
      out.line(`Public key            ${keys.publicKeyFile}`);
      out.line(`Trusted keys          ${keys.trusted.length === 0 ? '(none yet: ferry keys trust FILE)' : ''}`);
      for (const k of keys.trusted) out.line(`  ${k.fingerprint}  ${k.file}`);
      return 0;
    });
  },
};

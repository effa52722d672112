import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../util/atomic.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';

async function readKeyFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    throw new FerryError('NOT_FOUND', `Cannot read the key file ${file}.`, { file });
  }
}

export const keysCommand: Command = {
  name: 'keys',
  usage: `ferry keys show [--json]                 this site's key fingerprint and the trusted keys
ferry keys export-public FILE           write this site's public key (give it to the importing site)
ferry keys trust FILE                   trust another site's public key (check its fingerprint first)`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('keys', args, {});
    const [sub, file, ...rest] = positionals;
    if (rest.length > 0 || !sub) throw new FerryError('USAGE', 'Use show, export-public FILE or trust FILE. See ferry keys --help.');
    if (sub === 'show' && file) throw new FerryError('USAGE', 'keys show takes no argument.');
    if (sub === 'export-public' && !file) throw new FerryError('USAGE', 'keys export-public needs the FILE to write.');
    if (sub === 'trust' && !file) throw new FerryError('USAGE', 'keys trust needs the public key FILE.');
    if (!['show', 'export-public', 'trust'].includes(sub)) throw new FerryError('USAGE', `Unknown subcommand ${sub}. Use show, export-public or trust.`);
    return withClient(values, async (client) => {
      if (sub === 'trust') {
        const source = path.resolve(file!);
        const key = await client.call('keys.trust', { pem: await readKeyFile(source), source });
        out.result({ ok: true, result: key });
        out.line(`Trusted ${key.fingerprint}. Bundles signed by this key will now import.`);
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

import path from 'node:path';
import { openEngine } from '../../engine.js';
import { listTrustedKeys, siteKeyPaths, trustKeyFile } from '../../keys/keys.js';
import { writeFileAtomic } from '../../util/atomic.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

export const keysCommand: Command = {
  name: 'keys',
  usage: `ferry keys show [--json]                 this site's key fingerprint and the trusted keys
ferry keys export-public FILE           write this site's public key (give it to the importing site)
ferry keys trust FILE                   trust another site's public key (check its fingerprint first)`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('keys', args, {});
    const [sub, file, ...rest] = positionals;
    if (rest.length > 0 || !sub) throw new FerryError('USAGE', 'Use show, export-public FILE or trust FILE. See ferry keys --help.');
    const engine = await openEngine({ actor: { ...(values.operator ? { name: values.operator } : {}), ...(values.role ? { role: values.role } : {}) } });
    try {
      switch (sub) {
        case 'show': {
          if (file) throw new FerryError('USAGE', 'keys show takes no argument.');
          const trusted = await listTrustedKeys(engine.home);
          out.result({
            ok: true,
            result: {
              fingerprint: engine.siteKey.fingerprint,
              publicKeyFile: siteKeyPaths(engine.home).publicKey,
              trusted: trusted.map((k) => ({ fingerprint: k.fingerprint, file: k.file })),
            },
          });
          out.line(`Site key fingerprint  ${engine.siteKey.fingerprint}`);
          out.line(`Public key            ${siteKeyPaths(engine.home).publicKey}`);
          out.line(`Trusted keys          ${trusted.length === 0 ? '(none yet: ferry keys trust FILE)' : ''}`);
          for (const k of trusted) out.line(`  ${k.fingerprint}  ${k.file}`);
          return 0;
        }
        case 'export-public': {
          if (!file) throw new FerryError('USAGE', 'keys export-public needs the FILE to write.');
          await writeFileAtomic(path.resolve(file), engine.siteKey.publicKeyPem);
          out.result({ ok: true, result: { file: path.resolve(file), fingerprint: engine.siteKey.fingerprint } });
          out.line(`Wrote ${path.resolve(file)}; fingerprint ${engine.siteKey.fingerprint}. Send the fingerprint by a separate channel (the transfer form).`);
          return 0;
        }
        case 'trust': {
          if (!file) throw new FerryError('USAGE', 'keys trust needs the public key FILE.');
          const key = await trustKeyFile(engine.home, path.resolve(file));
          engine.ledger.append('key.trusted', { fingerprint: key.fingerprint, source: path.resolve(file) });
          out.result({ ok: true, result: { fingerprint: key.fingerprint, file: key.file } });
          out.line(`Trusted ${key.fingerprint}. Bundles signed by this key will now import.`);
          return 0;
        }
        default:
          throw new FerryError('USAGE', `Unknown subcommand ${sub}. Use show, export-public or trust.`);
      }
    } finally {
      engine.close();
    }
  },
};

import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../util/atomic.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';

export const diagnosticsCommand: Command = {
  name: 'diagnostics',
  usage: `ferry diagnostics --out FILE [--with-ledger] [--json]

  Writes one .tar.gz to hand to whoever supports this site: Ferry's and Node's versions and commit,
  the platform, settings, every job's state and last error, the ledger's id, line count and head,
  the last failures recorded, and the free space of FERRY_HOME, the Ollama store, the Hugging Face
  cache and the temporary folder. No credential, token, passphrase or key ever goes into it.
  --with-ledger   also the newest ledger lines (up to 20,000), which name bundles, people and media`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('diagnostics', args, { out: { type: 'string' }, 'with-ledger': { type: 'boolean' } });
    if (positionals.length > 0) throw new FerryError('USAGE', `Unexpected argument ${positionals[0]}. See ferry diagnostics --help.`);
    if (!values.out) throw new FerryError('USAGE', 'Name the archive to write: ferry diagnostics --out FILE.tar.gz');
    const file = path.resolve(values.out);
    // Before the archive is made: a folder that is not there is named, not met as a bare ENOENT afterwards.
    const folder = path.dirname(file);
    if (!(await fs.stat(folder).catch(() => undefined))?.isDirectory())
      throw new FerryError('NOT_FOUND', `The folder ${folder} does not exist: create it, or give --out a file in a folder that does.`, { file });
    const made = await withClient(values, (client) => client.call('app.diagnostics', values['with-ledger'] ? { withLedger: true } : {}));
    await writeFileAtomic(file, Buffer.from(made.base64, 'base64'), 0o600);
    const { base64: _bytes, ...shown } = made;
    out.result({ ok: true, result: { ...shown, file } });
    out.line(`Diagnostics written to ${file} (${made.bytes} bytes, sha256 ${made.sha256})`);
    for (const entry of made.entries) out.line(`  ${entry}`);
    out.line('It holds no credential, token or passphrase; read it before you send it (tar -xzf, then any text viewer).');
    return 0;
  },
};

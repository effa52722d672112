import { formatBytes } from '../../../shared/sizes.js';
import { defaultHfCache } from '../../hf/cache.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';
import { table } from '../output.js';

export const hfCommand: Command = {
  name: 'hf',
  usage: `ferry hf ls [--cache DIR] [--json]

  --cache DIR   default HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub, ~/.cache/huggingface/hub
  Each revision is listed with its refs; carry one with ferry export --hf REPO[@REF|@COMMIT].`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('hf', args, { cache: { type: 'string' } });
    if (positionals.length !== 1 || (positionals[0] !== 'ls' && positionals[0] !== 'list'))
      throw new FerryError('USAGE', 'The subcommand is ls. See ferry hf --help.');
    const listing = await withClient(values, (client) => client.call('hf.list', { cache: values.cache ?? defaultHfCache() }));
    out.result({ ok: true, result: listing });
    if (listing.repos.length === 0) {
      out.line(`No repos in ${listing.cache}.`);
      return 0;
    }
    const rows = [['REPO', 'TYPE', 'REVISION', 'REFS', 'FILES', 'SIZE']];
    for (const repo of listing.repos) {
      if (repo.problem) rows.push([repo.spec, repo.type, '-', `unreadable: ${repo.problem}`, '-', '-']);
      for (const revision of repo.revisions) {
        rows.push([repo.spec, repo.type, revision.commit.slice(0, 12), revision.refs.join(', ') || '-', String(revision.files), formatBytes(revision.size)]);
      }
    }
    for (const line of table(rows)) out.line(line);
    return 0;
  },
};

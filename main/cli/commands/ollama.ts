import { formatBytes } from '../../../shared/sizes.js';
import { defaultOllamaStore } from '../../ollama/store.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';
import { table } from '../output.js';

export const ollamaCommand: Command = {
  name: 'ollama',
  usage: `ferry ollama ls [--store DIR] [--json]

  --store DIR   default OLLAMA_MODELS, ~/.ollama/models, /usr/share/ollama/.ollama/models

Broken models (an empty manifest, a missing blob) and cloud models (no weights in the store) are
listed too, with why they cannot be carried.`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('ollama', args, { store: { type: 'string' } });
    if (positionals.length !== 1 || (positionals[0] !== 'ls' && positionals[0] !== 'list'))
      throw new FerryError('USAGE', 'The subcommand is ls. See ferry ollama --help.');
    const listing = await withClient(values, (client) => client.call('ollama.list', { store: values.store ?? defaultOllamaStore() }));
    out.result({ ok: true, result: listing });
    const { store, models, unavailable } = listing;
    if (models.length === 0 && unavailable.length === 0) {
      out.line(`No models in ${store}.`);
      return 0;
    }
    const rows = [['NAME', 'ID', 'SIZE', 'FAMILY', 'PARAMETERS', 'QUANTIZATION', 'LICENCE']];
    for (const m of models)
      rows.push([m.name, m.id, formatBytes(m.size), m.family ?? '-', m.parameters ?? '-', m.quantization ?? '-', m.licensePresent ? 'yes' : 'no']);
    for (const line of table(rows)) out.line(line);
    if (unavailable.length > 0) {
      out.line('');
      for (const line of table([['NOT CARRIED', 'STATUS', 'WHY'], ...unavailable.map((u) => [u.name, u.kind, u.reason])])) out.line(line);
    }
    return 0;
  },
};

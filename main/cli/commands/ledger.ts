import { openEngine } from '../../engine.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

export const ledgerCommand: Command = {
  name: 'ledger',
  usage: `ferry ledger verify [--json]      walk the hash chain; exit 3 on any break
ferry ledger show [--type TYPE] [--json]`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('ledger', args, { type: { type: 'string' } });
    const [sub, ...rest] = positionals;
    if (rest.length > 0 || (sub !== 'verify' && sub !== 'show')) throw new FerryError('USAGE', 'Use verify or show. See ferry ledger --help.');
    const engine = await openEngine();
    try {
      if (sub === 'show') {
        const entries = engine.ledger.events(values.type ? { type: values.type } : {});
        out.result({ ok: true, result: { ledgerId: engine.ledger.ledgerId, entries } });
        for (const { seq, event } of entries) {
          const operator = (event.operator as { name?: string } | undefined)?.name ?? '';
          const bundle = typeof event.bundle === 'string' ? `  ${event.bundle}` : '';
          out.line(`${String(seq).padStart(6)}  ${String(event.time)}  ${String(event.type).padEnd(18)}  ${operator}${bundle}`);
        }
        return 0;
      }
      const result = engine.ledger.verify();
      out.result({ ok: result.ok, result: { ledgerId: engine.ledger.ledgerId, file: engine.ledger.file, ...result } });
      out.line(`Ledger ${engine.ledger.ledgerId} (${engine.ledger.file})`);
      out.line(`  lines ${result.count}, head ${result.head}`);
      for (const p of result.problems) out.line(`  line ${p.seq}: ${p.message}`);
      out.line(result.ok ? 'The hash chain is intact.' : 'BROKEN: the ledger was altered. Keep this copy as evidence and compare with an exported kit.');
      return result.ok ? 0 : 3;
    } finally {
      engine.close();
    }
  },
};

import { openEngine } from '../../engine.js';
import { exportKit, makeCheckpoint, OPENSSL_VERIFY } from '../../ledger/kit.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const SUBCOMMANDS = ['verify', 'show', 'export', 'checkpoint'];

export const ledgerCommand: Command = {
  name: 'ledger',
  usage: `ferry ledger verify [--json]                    walk the hash chain; exit 3 on any break
ferry ledger show [--type TYPE] [--json]        list the events
ferry ledger export --out DIR [--json]          write the auditor's kit into DIR (new or empty):
                                                ledger.tsv, checkpoint.txt/.sig, site.pub.pem,
                                                ledger.csv, ledger.json and VERIFY.sh (sh VERIFY.sh)
ferry ledger checkpoint [--out DIR] [--json]    sign and record a checkpoint now; with --out, also
                                                write checkpoint.txt/.sig and site.pub.pem to DIR`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('ledger', args, { type: { type: 'string' }, out: { type: 'string' } });
    const [sub, ...rest] = positionals;
    if (rest.length > 0 || sub === undefined || !SUBCOMMANDS.includes(sub)) throw new FerryError('USAGE', 'Use verify, show, export or checkpoint. See ferry ledger --help.');
    if (values.type !== undefined && sub !== 'show') throw new FerryError('USAGE', '--type goes with ledger show.');
    if (values.out !== undefined && sub !== 'export' && sub !== 'checkpoint') throw new FerryError('USAGE', '--out goes with ledger export or ledger checkpoint.');
    if (sub === 'export' && !values.out) throw new FerryError('USAGE', 'Name the kit folder to create with --out DIR.');
    const engine = await openEngine({ actor: { ...(values.operator ? { name: values.operator } : {}), ...(values.role ? { role: values.role } : {}) } });
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
      if (sub === 'export') {
        const kit = await exportKit(engine, values.out!);
        out.result({ ok: true, result: kit });
        out.line(`Auditor's kit for ledger ${kit.ledgerId} in ${kit.dir}`);
        for (const f of kit.files) out.line(`  ${f}`);
        out.line(`  lines ${kit.count} (ledger.tsv holds exactly the lines the checkpoint covers), head ${kit.head}`);
        out.line(`  checkpoint signed ${kit.time} by site key ${kit.fingerprint}; recorded as line ${kit.recordedAt}`);
        if (!kit.chain.ok) {
          out.line(`WARNING: the chain is broken (${kit.chain.problems.length} problem(s)); the kit keeps it as evidence. See ferry ledger verify.`);
          for (const p of kit.chain.problems) out.line(`  line ${p.seq}: ${p.message}`);
        }
        out.line(`auditors: sh VERIFY.sh   (in ${kit.dir})`);
        out.line(`Keep these checkpoint values (on the paper form): count ${kit.count}, head ${kit.head}`);
        out.line(`Later, check the ledger only grew: sh VERIFY.sh ${kit.count} ${kit.head}`);
        return 0;
      }
      if (sub === 'checkpoint') {
        const cp = await makeCheckpoint(engine, values.out);
        out.result({ ok: true, result: { ...cp, opensslVerify: OPENSSL_VERIFY } });
        out.line(`Checkpoint of ledger ${cp.ledgerId}: ${cp.count} lines, head ${cp.head}; recorded as line ${cp.recordedAt}`);
        out.line('--- checkpoint.txt (exactly as signed, each line ending in a newline) ---');
        out.line(cp.text.replace(/\n$/, ''));
        out.line('--- checkpoint.sig (DER ECDSA P-256 / SHA-256, base64) ---');
        out.line(cp.signatureBase64);
        out.line(`Site key fingerprint ${cp.fingerprint}`);
        if (cp.dir !== undefined) out.line(`Wrote ${cp.files!.join(', ')} to ${cp.dir}`);
        else out.line('Save the text as checkpoint.txt, the signature (base64 -d) as checkpoint.sig and the site public key as site.pub.pem (ferry keys export-public), or use --out DIR.');
        out.line(`Check it: ${OPENSSL_VERIFY}`);
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

import path from 'node:path';
import type { BundleSummary, Outcome, ReconciliationFlag, Result, TransferReport } from '../../../shared/rpc.js';
import { countOf } from '../../../shared/count.js';
import { licenceWords } from '../../../shared/licences.js';
import { EVENT_TYPES } from '../../../shared/ledger-events.js';
import { queryEvents, type ViewedEvent } from '../../custody/ledger-view.js';
import { openEngine } from '../../engine.js';
import type { Output } from '../output.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { assertSignAsFlags, SIGN_AS_OPTIONS, signAsFromStdin } from '../sign-as.js';
import { allPages } from '../pages.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';

/** The type column fits every event type's name (attention.dismissed, ledger.export.failed). */
const TYPE_WIDTH = Math.max(...EVENT_TYPES.map((type) => type.length));

const SUBCOMMANDS = ['verify', 'reindex', 'show', 'export', 'checkpoint', 'bundles', 'report', 'flags', 'review'];
const SHOW_FILTERS = ['type', 'bundle', 'person', 'media', 'outcome', 'since', 'until'] as const;

export const ledgerCommand: Command = {
  name: 'ledger',
  usage: `ferry ledger verify [--json]                    walk the hash chain and check the derived index
                                                against the lines; exit 3 on any break
ferry ledger reindex [--json]                   derive the index tables again from the lines alone
ferry ledger show [filters] [--json]            list the events; filters: --type TYPE, --bundle DIGEST,
                                                --person NAME, --media ID, --outcome ok|failed|pending,
                                                --since DATE, --until DATE (ISO 8601)
ferry ledger bundles [--json]                   every bundle this ledger knows
ferry ledger report BUNDLE [--with KIT_DIR] [--json]
                                                one bundle's chain of custody: request, approval, export,
                                                media, handoffs, verification, import, disposition; --with
                                                another site's auditor's kit adds that site's lines about it
ferry ledger flags [--with KIT_DIR] [--json]    reconciliation: gaps in previousBundle chains, imports
                                                without an export record, failed media, exports whose
                                                media were never read back, media never dispositioned; --with
                                                another site's auditor's kit adds bundles exported but never
                                                imported, and settles media that site dispositioned or read back
ferry ledger review --result no-findings|findings [--notes TEXT] [--from N] [--to N] --as NAME --passphrase-stdin
                                                sign off a review of lines N..M (default: since the last
                                                review), signed by the reviewer NAME, an enrolled person
ferry ledger export --out DIR [--json]          write the auditor's kit into DIR (new or empty):
                                                ledger.tsv, checkpoint.txt/.sig, site.pub.pem,
                                                ledger.csv, ledger.json and VERIFY.sh (sh VERIFY.sh)
ferry ledger checkpoint [--out DIR] [--json]    sign and record a checkpoint now; with --out, also
                                                write checkpoint.txt/.sig and site.pub.pem to DIR`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('ledger', args, {
      type: { type: 'string' },
      out: { type: 'string' },
      bundle: { type: 'string' },
      person: { type: 'string' },
      media: { type: 'string' },
      outcome: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      with: { type: 'string' },
      result: { type: 'string' },
      notes: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      ...SIGN_AS_OPTIONS,
    });
    const [sub, arg, ...rest] = positionals;
    if (rest.length > 0 || sub === undefined || !SUBCOMMANDS.includes(sub))
      throw new FerryError('USAGE', `Use ${SUBCOMMANDS.join(', ')}. See ferry ledger --help.`);
    if ((arg !== undefined) !== (sub === 'report'))
      throw new FerryError(
        'USAGE',
        sub === 'report' ? 'Name the bundle: ferry ledger report DIGEST (see ferry ledger bundles).' : `Unexpected argument ${arg}. See ferry ledger --help.`,
      );
    for (const f of SHOW_FILTERS) if (values[f] !== undefined && sub !== 'show') throw new FerryError('USAGE', `--${f} goes with ledger show.`);
    if (values.with !== undefined && sub !== 'flags' && sub !== 'report') throw new FerryError('USAGE', '--with goes with ledger flags or ledger report.');
    for (const f of ['result', 'notes', 'from', 'to', 'as'] as const)
      if (values[f] !== undefined && sub !== 'review') throw new FerryError('USAGE', `--${f} goes with ledger review.`);
    if (values.outcome !== undefined && !['ok', 'failed', 'pending'].includes(values.outcome))
      throw new FerryError('USAGE', '--outcome is ok, failed or pending.');
    if (values.out !== undefined && sub !== 'export' && sub !== 'checkpoint')
      throw new FerryError('USAGE', '--out goes with ledger export or ledger checkpoint.');
    if (sub === 'export' && !values.out) throw new FerryError('USAGE', 'Name the kit folder to create with --out DIR.');
    if (sub === 'show') return show(values, out);
    return withClient(values, async (client) => {
      if (sub === 'checkpoint') {
        printCheckpoint(out, await client.call('ledger.checkpoint', values.out ? { out: values.out } : {}));
        return 0;
      }
      if (sub === 'reindex') {
        const reindexed = await client.call('ledger.reindex', {});
        out.result({ ok: true, result: reindexed });
        out.line(`Ledger ${reindexed.ledgerId} (${reindexed.file}): the index tables were derived again from its ${reindexed.lines} lines.`);
        return 0;
      }
      if (sub === 'bundles') {
        const bundles: BundleSummary[] = [];
        let listed = 0;
        for await (const b of allPages(async (offset, limit) => (await client.call('ledger.bundles', { offset, limit })).bundles)) {
          listed += 1;
          if (out.json) bundles.push(b);
          else out.line(bundleLine(b));
        }
        out.result({ ok: true, result: { bundles, total: listed } });
        if (listed === 0) out.line('No bundles in this ledger yet.');
        return 0;
      }
      if (sub === 'report') {
        const report = await client.call('ledger.report', { bundle: arg!, ...(values.with ? { withKit: path.resolve(values.with) } : {}) });
        out.result({ ok: true, result: report });
        printReport(out, report);
        return 0;
      }
      if (sub === 'flags') {
        const withKit = values.with ? { withKit: values.with } : {};
        const first = await client.call('ledger.flags', { ...withKit, limit: 1 });
        if (first.compared)
          out.line(`Compared with the ledger in ${first.compared.dir} (${first.compared.lines} events; check it first with sh VERIFY.sh there).`);
        const flags: ReconciliationFlag[] = [];
        for await (const f of allPages(async (offset, limit) => (await client.call('ledger.flags', { ...withKit, offset, limit })).flags)) {
          if (out.json) flags.push(f);
          else out.line(`${f.severity.toUpperCase().padEnd(7)}  ${f.kind.padEnd(23)}  ${f.message}${f.seq ? ` (line ${f.seq})` : ''}`);
        }
        out.result({ ok: true, result: { ...first, flags } });
        if (first.total === 0) out.line('No reconciliation flags.');
        return 0;
      }
      if (sub === 'review') {
        if (values.result !== 'no-findings' && values.result !== 'findings')
          throw new FerryError('USAGE', "Say the review's result: --result no-findings or --result findings.");
        assertSignAsFlags(values, 'the reviewer', true);
        const from = lineNumber(values.from, '--from');
        const to = lineNumber(values.to, '--to');
        const as = await signAsFromStdin(values);
        const reviewed = await client.call('ledger.review', {
          as,
          result: values.result,
          ...(values.notes !== undefined ? { notes: values.notes } : {}),
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
        });
        out.result({ ok: true, result: reviewed });
        out.line(`Review of lines ${reviewed.from}-${reviewed.to} (head ${reviewed.head}) signed by ${as.name}; recorded as line ${reviewed.seq}.`);
        if (!reviewed.chainOk) out.line('The hash chain is BROKEN: the review records that. See ferry ledger verify.');
        return 0;
      }
      if (sub === 'export') {
        const dir = path.resolve(values.out!);
        const kit = await client.call('ledger.exportKit', { destination: path.dirname(dir), name: path.basename(dir) });
        printKit(out, kit);
        return 0;
      }
      const result = await client.call('ledger.verify', {});
      out.result({ ok: result.ok, result });
      out.line(`Ledger ${result.ledgerId} (${result.file})`);
      out.line(`  lines ${result.count}, head ${result.head}`);
      for (const p of result.problems) out.line(`  line ${p.seq}: ${p.message}`);
      out.line(result.ok ? 'The hash chain is intact.' : 'BROKEN: the ledger was altered. Keep this copy as evidence and compare with an exported kit.');
      return result.ok ? 0 : 3;
    });
  },
};

/**
 * `ledger show` reads the engine directly: its --json is the raw ledger events in ledger order
 * (ledger.list answers the wizard's summarized rows, newest first, at most 500).
 */
async function show(values: ShowValues, out: Output): Promise<number> {
  const engine = await openEngine({ operator: { ...(values.operator ? { name: values.operator } : {}), ...(values.role ? { role: values.role } : {}) } });
  try {
    const filter = {
      ...(values.type ? { type: values.type } : {}),
      ...(values.bundle ? { bundle: values.bundle } : {}),
      ...(values.person ? { operator: values.person } : {}),
      ...(values.media ? { media: values.media } : {}),
      ...(values.outcome ? { outcome: values.outcome as Outcome } : {}),
      ...(values.since ? { since: values.since } : {}),
      ...(values.until ? { until: values.until } : {}),
    };
    // Page by page in ledger order: what is printed is not held, whatever the ledger's length.
    const entries: { seq: number; event: ViewedEvent['event'] }[] = [];
    for (let from = 0; ;) {
      const page = queryEvents(engine.ledger, filter, { order: 'oldest', limit: SHOW_PAGE, from });
      for (const e of page) {
        if (out.json) entries.push({ seq: e.seq, event: e.event });
        else out.line(showLine(e));
      }
      if (page.length < SHOW_PAGE) break;
      from = page[page.length - 1]!.seq;
    }
    out.result({ ok: true, result: { ledgerId: engine.ledger.ledgerId, entries } });
    return 0;
  } finally {
    engine.close();
  }
}

const SHOW_PAGE = 1000;

function bundleLine(b: BundleSummary): string {
  const media = b.media.length ? `  media ${b.media.join(', ')}` : '';
  return `${b.bundle}  ${(b.name ?? '').padEnd(24)}  ${b.side.padEnd(6)}  last ${b.lastType} ${b.lastTime}${media}${b.flags ? `  ${countOf(b.flags, 'flag')}` : ''}`;
}

function showLine(e: ViewedEvent): string {
  const operator = (e.event.operator as { name?: string } | undefined)?.name ?? '';
  return `${String(e.seq).padStart(6)}  ${String(e.event.time)}  ${String(e.event.type).padEnd(TYPE_WIDTH)}  ${operator.padEnd(14)}  ${e.summary}${e.bundle ? `  ${e.bundle.slice(0, 19)}` : ''}`;
}

interface ShowValues {
  operator?: string | undefined;
  role?: string | undefined;
  type?: string | undefined;
  bundle?: string | undefined;
  person?: string | undefined;
  media?: string | undefined;
  outcome?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  out?: string | undefined;
}

function printKit(out: Output, kit: Result<'ledger.exportKit'>): void {
  out.result({ ok: true, result: kit });
  out.line(`Auditor's kit for ledger ${kit.ledgerId} in ${kit.dir}`);
  for (const f of kit.files) out.line(`  ${f}`);
  out.line(`  lines ${kit.count} (ledger.tsv holds exactly the lines the checkpoint covers), head ${kit.head}`);
  out.line(`  checkpoint signed ${kit.time} by site key ${kit.fingerprint}; recorded as line ${kit.recordedAt}`);
  if (!kit.chain.ok) {
    out.line(`WARNING: the chain is broken (${countOf(kit.chain.problems.length, 'problem')}); the kit keeps it as evidence. See ferry ledger verify.`);
    for (const p of kit.chain.problems) out.line(`  line ${p.seq}: ${p.message}`);
  }
  out.line(`auditors: sh VERIFY.sh   (in ${kit.dir})`);
  out.line(`Keep these checkpoint values (on the paper form): count ${kit.count}, head ${kit.head}`);
  out.line(`Later, check the ledger only grew: sh VERIFY.sh ${kit.count} ${kit.head}`);
}

function lineNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new FerryError('USAGE', `${flag} takes a ledger line number (1 or more).`, { field: flag });
  return n;
}

function printReport(out: Output, r: TransferReport): void {
  out.line(`Chain of custody for ${r.name ?? '(unnamed)'} ${r.bundle}`);
  out.line(`  ledger ${r.ledgerId}, site key ${r.site.fingerprint}${r.signer ? `, bundle signed by ${r.signer}` : ''}`);
  for (const a of r.artifacts) out.line(`  artifact ${a.kind}  ${a.ref}  ${a.digest}  licence: ${licenceWords(a.licences)}`);
  for (const v of r.volumes) out.line(`  volume   ${v.file}  ${v.sha256}`);
  for (const m of r.media)
    out.line(
      `  medium   ${m.id}${m.label ? ` "${m.label}"` : ''}${m.type ? ` ${m.type}` : ''}${m.seal ? ` seal ${m.seal}` : ''}  volumes ${m.volumes.join(', ') || '?'}  read-back ${m.verified ?? 'not verified'}  disposition ${m.disposition ?? 'none recorded'}`,
    );
  out.line('');
  for (const s of r.steps)
    out.line(
      `  ${s.origin === 'exporter' ? 'exporter line' : s.origin === 'other-site' ? 'other site line' : 'line'} ${String(s.seq).padStart(5)}  ${s.time}  ${s.stage.padEnd(12)}  ${s.type.padEnd(TYPE_WIDTH)}  ${s.operator.name}${s.operator.role ? ` (${s.operator.role})` : ''}: ${s.summary}`,
    );
  if (r.exporterCheckpoint) out.line();
  if (r.exporterCheckpoint)
    out.line(
      `  exporter's checkpoint (${r.exporterCheckpoint.valid ? 'signature valid' : 'SIGNATURE INVALID'}): ${r.exporterCheckpoint.text.trim().split('\n').join(' | ')}`,
    );
  if (r.checkpoint) out.line(`  covered by this ledger's checkpoint at line ${r.checkpoint.seq}: ${r.checkpoint.count} lines, head ${r.checkpoint.head}`);
  for (const f of r.flags) out.line(`  FLAG ${f.kind}: ${f.message}`);
}

function printCheckpoint(out: Output, cp: Result<'ledger.checkpoint'>): void {
  out.result({ ok: true, result: cp });
  out.line(`Checkpoint of ledger ${cp.ledgerId}: ${cp.count} lines, head ${cp.head}; recorded as line ${cp.recordedAt}`);
  out.line('--- checkpoint.txt (exactly as signed, each line ending in a newline) ---');
  for (const line of cp.text.replace(/\n$/, '').split('\n')) out.line(line);
  out.line('--- checkpoint.sig (DER ECDSA P-256 / SHA-256, base64) ---');
  out.line(cp.signatureBase64);
  out.line(`Site key fingerprint ${cp.fingerprint}`);
  if (cp.dir !== undefined) out.line(`Wrote ${cp.files!.join(', ')} to ${cp.dir}`);
  else
    out.line(
      'Save the text as checkpoint.txt, the signature (base64 -d) as checkpoint.sig and the site public key as site.pub.pem (ferry keys export-public), or use --out DIR.',
    );
  out.line(`Check it: ${cp.opensslVerify}`);
}

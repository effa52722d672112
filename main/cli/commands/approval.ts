import type { ApprovalRequestInfo, RuleRequestInfo } from '../../../shared/rpc.js';
import { formatBytes } from '../../../shared/sizes.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';
import type { Output } from '../output.js';
import { assertSignAsFlags, SIGN_AS_OPTIONS, signAsFromStdin } from '../sign-as.js';

const role = (p: { role?: string | undefined }) => (p.role ? ` (${p.role})` : '');

function printRequest(out: Output, r: ApprovalRequestInfo): void {
  out.line(`${r.id}  ${r.status.toUpperCase()}`);
  out.line(`  bundle ${r.name} → ${r.out}, volumes of ${formatBytes(r.volumeSize)}`);
  out.line(`  requested ${r.requestedAt} by ${r.requester.name}${role(r.requester)} (ledger line ${r.seq})`);
  if (r.decidedBy)
    out.line(
      `  ${r.status === 'exported' ? 'approved' : r.status} ${r.decidedAt} by ${r.decidedBy.name}${role(r.decidedBy)}${r.signer ? `, signed with key ${r.signer.slice(0, 16)}…` : ''}${r.reason ? `: ${r.reason}` : ''}`,
    );
  if (r.bundle) out.line(`  exported as ${r.bundle}`);
  for (const a of r.artifacts) out.line(`    ${a.kind}  ${a.ref}  ${formatBytes(a.size)}  ${a.digest}`);
  out.line(`  total ${formatBytes(r.totalSize)}`);
}

function printRuleRequest(out: Output, r: RuleRequestInfo): void {
  out.line(`${r.id}  ${r.status.toUpperCase()}`);
  out.line(`  turn the two-person rule ${r.twoPersonRule ? 'on' : 'off'}`);
  out.line(`  requested ${r.requestedAt} by ${r.requester.name}${role(r.requester)} (ledger line ${r.seq})`);
  if (r.decidedBy) out.line(`  ${r.status} ${r.decidedAt} by ${r.decidedBy.name}${role(r.decidedBy)}${r.reason ? `: ${r.reason}` : ''}`);
}

const USE =
  'Use approval list, approval approve ID, approval reject ID --reason TEXT, approval withdraw ID, or approval rule [on|off]. See ferry approval --help.';

export const approvalCommand: Command = {
  name: 'approval',
  usage: `ferry approval list [--all] [--json]         exports and rule changes waiting for approval (--all: decided ones too)
ferry approval approve ID --as NAME --passphrase-stdin
                                             approve exactly what request ID carries, signed by NAME
ferry approval reject ID --reason TEXT --as NAME --passphrase-stdin
                                             reject it, saying why
ferry approval withdraw ID [--reason TEXT]   the requester takes back an export request not yet exported
ferry approval rule [on|off] [--as NAME --passphrase-stdin]
                                             show, or turn on or off, the two-person rule

NAME is an enrolled person (ferry people list); their passphrase is read from standard input
(echo "$PASSPHRASE" | ferry approval approve ID --as NAME --passphrase-stdin) and signs the decision.
With the two-person rule on, ferry export records an export request and stops (exit 1) until an
enrolled person other than the requester approves it; then the same export command carries it out.
The content is planned again at that point and must match the approved digests. Turning the rule off
while it is on is itself a request: a second enrolled person runs approval rule off (or approval
approve ID) to carry it out. A refused decision (not enrolled, wrong passphrase, the requester
approving their own request) exits 3.`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('approval', args, { all: { type: 'boolean' }, reason: { type: 'string' }, ...SIGN_AS_OPTIONS });
    const [sub, arg, ...rest] = positionals;
    if (rest.length > 0) throw new FerryError('USAGE', `Unexpected argument ${rest[0]}. See ferry approval --help.`);
    if (values.reason !== undefined && sub !== 'reject' && sub !== 'withdraw') throw new FerryError('USAGE', '--reason goes with approval reject or withdraw.');
    const requires = (ok: boolean) => {
      if (!ok) throw new FerryError('USAGE', USE);
    };
    if (sub === 'list') requires(arg === undefined);
    else if (sub === 'withdraw' || sub === 'approve' || sub === 'reject') requires(arg !== undefined);
    else requires(sub === 'rule' && (arg === undefined || arg === 'on' || arg === 'off'));
    const signs = sub === 'approve' || sub === 'reject' || (sub === 'rule' && arg !== undefined);
    if (!signs && values.as !== undefined) throw new FerryError('USAGE', `--as goes with approval approve, reject and rule on|off.`, { field: '--as' });
    assertSignAsFlags(values, sub === 'rule' ? 'who changes the rule' : `who ${sub === 'approve' ? 'approves' : 'rejects'}, not the requester`, signs);
    if (sub === 'reject' && !values.reason?.trim())
      throw new FerryError('USAGE', 'Say why with --reason TEXT (recorded with the rejection).', { field: '--reason' });
    const as = signs ? await signAsFromStdin(values) : undefined;
    return withClient(values, async (client) => {
      if (sub === 'list') {
        const listed = await client.call('approval.list', {});
        const shown = (status: string) => values.all || status === 'pending' || status === 'approved';
        const requests = listed.requests.filter((r) => shown(r.status));
        const rules = listed.ruleRequests.filter((r) => values.all || r.status === 'pending');
        out.result({
          ok: true,
          result: {
            twoPersonRule: listed.twoPersonRule,
            requests: [...requests.map((r) => ({ kind: 'export', ...r })), ...rules.map((r) => ({ kind: 'two-person-rule', ...r }))],
          },
        });
        out.line(`Two-person rule: ${listed.twoPersonRule ? 'on' : 'off'}`);
        if (requests.length + rules.length === 0) out.line(values.all ? 'Nothing has asked for approval.' : 'Nothing waits for approval.');
        for (const r of rules) printRuleRequest(out, r);
        for (const r of requests) printRequest(out, r);
        return 0;
      }
      if (sub === 'rule') {
        if (arg === undefined) {
          const enabled = (await client.call('app.info', {})).twoPersonRule;
          out.result({ ok: true, result: { enabled } });
          out.line(`Two-person rule: ${enabled ? "on (exports wait for a second person's approval)" : 'off'}`);
          return 0;
        }
        const changed = await client.call('approval.rule', { enabled: arg === 'on', as: as! });
        out.result({ ok: true, result: changed });
        if (changed.request?.status === 'pending') {
          out.line(`Two-person rule: still on. Request ${changed.request.id} to turn it off waits for a second enrolled person:`);
          out.line(`  they run ferry approval rule off --as THEIR-NAME --passphrase-stdin (or approval approve ${changed.request.id}).`);
        } else {
          out.line(`Two-person rule: ${changed.enabled ? "on (exports wait for a second person's approval)" : 'off'}`);
        }
        return 0;
      }
      const listed = sub === 'withdraw' ? undefined : await client.call('approval.list', {});
      const rule = listed?.ruleRequests.find((r) => r.id === arg);
      if (rule) {
        const decided = await client.call('approval.decideRule', {
          id: arg!,
          decision: sub as 'approve' | 'reject',
          as: as!,
          ...(values.reason !== undefined ? { reason: values.reason } : {}),
        });
        out.result({ ok: true, result: { kind: 'two-person-rule', ...decided } });
        printRuleRequest(out, decided);
        return 0;
      }
      const decision = sub as 'approve' | 'reject' | 'withdraw';
      const decided = await client.call('approval.decide', {
        id: arg!,
        decision,
        ...(as ? { as } : {}),
        ...(values.reason !== undefined ? { reason: values.reason } : {}),
      });
      out.result({ ok: true, result: { kind: 'export', ...decided } });
      printRequest(out, decided);
      out.line(
        decision === 'approve'
          ? 'Approved and signed. The requester now runs the same ferry export command again.'
          : decision === 'reject'
            ? 'Rejected; the signed decision is recorded in the ledger.'
            : 'Withdrawn; recorded in the ledger.',
      );
      return 0;
    });
  },
};

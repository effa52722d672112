import type { ApprovalRequestInfo } from '../../../shared/rpc.js';
import { formatBytes } from '../../bundle/volume-size.js';
import { decideApproval, listApprovals, setTwoPersonRule, twoPersonRuleOn } from '../../custody/approval.js';
import { openEngine } from '../../engine.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import type { Output } from '../output.js';

function printRequest(out: Output, r: ApprovalRequestInfo): void {
  const role = (p: { role?: string | undefined }) => (p.role ? ` (${p.role})` : '');
  out.line(`${r.id}  ${r.state.toUpperCase()}`);
  out.line(`  bundle ${r.name} → ${r.out}, volumes of ${formatBytes(r.volumeSize)}`);
  out.line(`  requested ${r.requestedAt} by ${r.requester.name}${role(r.requester)} (ledger line ${r.seq})`);
  if (r.decidedBy)
    out.line(`  ${r.state === 'exported' ? 'approved' : r.state} ${r.decidedAt} by ${r.decidedBy.name}${role(r.decidedBy)}${r.reason ? `: ${r.reason}` : ''}`);
  if (r.bundle) out.line(`  exported as ${r.bundle}`);
  for (const a of r.artifacts) out.line(`    ${a.kind}  ${a.ref}  ${formatBytes(a.size)}  ${a.digest}`);
  out.line(`  total ${formatBytes(r.totalSize)}`);
}

export const approvalCommand: Command = {
  name: 'approval',
  usage: `ferry approval list [--all] [--json]                  exports waiting for approval (--all: decided ones too)
ferry approval approve ID --operator NAME [--role R]   approve exactly what request ID carries, as NAME
ferry approval reject ID --reason TEXT --operator NAME reject it, saying why
ferry approval withdraw ID [--reason TEXT]            the requester takes back a request not yet exported
ferry approval rule [on|off]                          show, or turn on or off, the two-person rule

With the two-person rule on, ferry export records an export request and stops (exit 1) until someone
with another name approves it; then the same export command carries it out. The content is planned
again at that point and must match the approved digests.`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('approval', args, { all: { type: 'boolean' }, reason: { type: 'string' } });
    const [sub, arg, ...rest] = positionals;
    if (rest.length > 0) throw new FerryError('USAGE', `Unexpected argument ${rest[0]}. See ferry approval --help.`);
    if (values.reason !== undefined && sub !== 'reject' && sub !== 'withdraw') throw new FerryError('USAGE', '--reason goes with approval reject or withdraw.');
    const engine = await openEngine({ actor: { ...(values.operator ? { name: values.operator } : {}), ...(values.role ? { role: values.role } : {}) } });
    try {
      if (sub === 'list' && arg === undefined) {
        const requests = listApprovals(engine).filter((r) => values.all || r.state === 'pending' || r.state === 'approved');
        out.result({ ok: true, result: { twoPersonRule: await twoPersonRuleOn(engine), requests } });
        out.line(`Two-person rule: ${(await twoPersonRuleOn(engine)) ? 'on' : 'off'}`);
        if (requests.length === 0) out.line(values.all ? 'No export has asked for approval.' : 'No export waits for approval.');
        for (const r of requests) printRequest(out, r);
        return 0;
      }
      if (sub === 'withdraw' && arg !== undefined) {
        const withdrawn = decideApproval(engine, arg, 'withdraw', engine.actor, values.reason);
        out.result({ ok: true, result: withdrawn });
        printRequest(out, withdrawn);
        out.line('Withdrawn; recorded in the ledger.');
        return 0;
      }
      if ((sub === 'approve' || sub === 'reject') && arg !== undefined) {
        if (!values.operator && !process.env.FERRY_OPERATOR)
          throw new FerryError(
            'USAGE',
            `Say who ${sub === 'approve' ? 'approves' : 'rejects'}: --operator NAME (the person at the keyboard, not the requester).`,
            { field: 'operator' },
          );
        const decided = decideApproval(engine, arg, sub, engine.actor, values.reason);
        out.result({ ok: true, result: decided });
        printRequest(out, decided);
        out.line(sub === 'approve' ? 'Approved. The requester now runs the same ferry export command again.' : 'Rejected; recorded in the ledger.');
        return 0;
      }
      if (sub === 'rule' && (arg === undefined || arg === 'on' || arg === 'off')) {
        const enabled = arg === undefined ? await twoPersonRuleOn(engine) : await setTwoPersonRule(engine, arg === 'on');
        out.result({ ok: true, result: { twoPersonRule: enabled } });
        out.line(`Two-person rule: ${enabled ? "on (exports wait for a second person's approval)" : 'off'}`);
        return 0;
      }
      throw new FerryError(
        'USAGE',
        'Use approval list, approval approve ID, approval reject ID --reason TEXT, approval withdraw ID, or approval rule [on|off]. See ferry approval --help.',
      );
    } finally {
      engine.close();
    }
  },
};

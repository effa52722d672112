import type { ApprovalRequestInfo } from '../../../shared/rpc.js';
import { formatBytes } from '../../../shared/sizes.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs } from '../args.js';
import { withClient } from '../client.js';
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
    const requires = (ok: boolean) => {
      if (!ok)
        throw new FerryError(
          'USAGE',
          'Use approval list, approval approve ID, approval reject ID --reason TEXT, approval withdraw ID, or approval rule [on|off]. See ferry approval --help.',
        );
    };
    if (sub === 'list') requires(arg === undefined);
    else if (sub === 'withdraw' || sub === 'approve' || sub === 'reject') requires(arg !== undefined);
    else requires(sub === 'rule' && (arg === undefined || arg === 'on' || arg === 'off'));
    if ((sub === 'approve' || sub === 'reject') && !values.operator && !process.env.FERRY_OPERATOR)
      throw new FerryError('USAGE', `Say who ${sub === 'approve' ? 'approves' : 'rejects'}: --operator NAME (the person at the keyboard, not the requester).`, {
        field: 'operator',
      });
    return withClient(values, async (client) => {
      if (sub === 'list') {
        const listed = await client.call('approval.list', {});
        const requests = listed.requests.filter((r) => values.all || r.state === 'pending' || r.state === 'approved');
        out.result({ ok: true, result: { ...listed, requests } });
        out.line(`Two-person rule: ${listed.twoPersonRule ? 'on' : 'off'}`);
        if (requests.length === 0) out.line(values.all ? 'No export has asked for approval.' : 'No export waits for approval.');
        for (const r of requests) printRequest(out, r);
        return 0;
      }
      if (sub === 'rule') {
        const rule =
          arg === undefined
            ? { enabled: (await client.call('app.info', {})).twoPersonRule }
            : await client.call('settings.setTwoPersonRule', { enabled: arg === 'on' });
        out.result({ ok: true, result: rule });
        out.line(`Two-person rule: ${rule.enabled ? "on (exports wait for a second person's approval)" : 'off'}`);
        return 0;
      }
      const decision = sub as 'approve' | 'reject' | 'withdraw';
      const { operator } = await client.call('app.info', {});
      const decided = await client.call('approval.decide', {
        id: arg!,
        decision,
        approver: operator,
        ...(values.reason !== undefined ? { reason: values.reason } : {}),
      });
      out.result({ ok: true, result: decided });
      printRequest(out, decided);
      out.line(
        decision === 'approve'
          ? 'Approved. The requester now runs the same ferry export command again.'
          : decision === 'reject'
            ? 'Rejected; recorded in the ledger.'
            : 'Withdrawn; recorded in the ledger.',
      );
      return 0;
    });
  },
};

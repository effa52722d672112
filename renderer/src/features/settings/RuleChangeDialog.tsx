import type { Result, RuleRequestInfo } from '../../../../shared/rpc.js';
import { ferry } from '../../client';
import { SignedDecisionDialog } from '../../domain/people/SignedDecisionDialog';

/** What the dialog does: turn the rule on, ask for (or approve) turning it off, or reject a waiting request. */
export type RuleChange = { kind: 'on' } | { kind: 'off'; waiting?: RuleRequestInfo | undefined } | { kind: 'reject'; request: RuleRequestInfo };

export interface RuleChangeDialogProps {
  change: RuleChange | null;
  onClose: () => void;
  onDone: (result: Result<'approval.rule'> | RuleRequestInfo) => void;
}

const TITLES = { on: 'Turn the two-person rule on', off: 'Turn the two-person rule off', reject: 'Reject the request to turn the rule off' };

/** A signed decision about the two-person rule: who decides, with their passphrase. */
export function RuleChangeDialog({ change, onClose, onDone }: RuleChangeDialogProps) {
  const waiting = change?.kind === 'off' ? change.waiting : change?.kind === 'reject' ? change.request : undefined;
  const approvingOff = change?.kind === 'off' && waiting !== undefined;
  const explanation =
    change?.kind === 'on'
      ? 'From now on every export waits until an enrolled second person approves exactly what leaves. Your signature is recorded with the change.'
      : change?.kind === 'reject'
        ? `${waiting?.requester.name ?? 'Someone'} asked to turn the rule off. Rejecting keeps it on; your reason and signature are recorded.`
        : waiting
          ? `${waiting.requester.name} asked to turn the rule off. As a second person, your signature carries it out.`
          : 'The rule stays on until a second enrolled person approves: your signed request waits for them here.';
  return (
    <SignedDecisionDialog
      open={change !== null}
      title={change ? TITLES[change.kind] : ''}
      explanation={explanation}
      reason={change?.kind === 'reject' ? { required: true, maxLength: 2000 } : undefined}
      signerLabel="Decided by"
      exclude={approvingOff ? [waiting.requester.name] : []}
      {...(approvingOff ? { excludedWhy: `Anyone enrolled except ${waiting.requester.name}, who asked.` } : {})}
      submitLabel={change?.kind === 'on' ? 'Turn on' : change?.kind === 'reject' ? 'Reject' : waiting ? 'Approve: turn off' : 'Ask to turn off'}
      busyLabel="Signing…"
      color={change?.kind === 'on' ? 'primary' : 'error'}
      failureTitle="The two-person rule was not changed"
      onClose={onClose}
      decide={async (reason, as) => {
        if (!change) return;
        onDone(
          change.kind === 'reject'
            ? await ferry().call('approval.decideRule', { id: change.request.id, decision: 'reject', as, reason })
            : await ferry().call('approval.rule', { enabled: change.kind === 'on', as }),
        );
      }}
    />
  );
}

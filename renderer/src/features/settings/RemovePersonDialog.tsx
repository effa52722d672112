import type { PersonRecord } from '../../../../shared/rpc.js';
import { ferry } from '../../client';
import { SignedDecisionDialog } from '../../domain/people/SignedDecisionDialog';

export interface RemovePersonDialogProps {
  person: PersonRecord | null;
  onClose: () => void;
  onRemoved: (person: PersonRecord) => void;
}

/** person.removed, with the reason, signed by the person deciding (someone else while the two-person rule is on). */
export function RemovePersonDialog({ person, onClose, onRemoved }: RemovePersonDialogProps) {
  return (
    <SignedDecisionDialog
      open={person !== null}
      title={`Remove ${person?.name ?? 'a person'}`}
      explanation={`From now on ${person?.name ?? 'this person'}'s key signs nothing here. Their earlier signatures stay valid evidence. The removal and its reason are signed and recorded in the ledger.`}
      reason={{ required: true, maxLength: 500, helperText: 'For example: left the team, passphrase forgotten' }}
      signerLabel="Removed by"
      submitLabel="Remove"
      busyLabel="Removing…"
      color="error"
      failureTitle="The person was not removed"
      onClose={onClose}
      decide={async (reason, as) => {
        if (person) onRemoved(await ferry().call('people.remove', { name: person.name, reason, as }));
      }}
    />
  );
}

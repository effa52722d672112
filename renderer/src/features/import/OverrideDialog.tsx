import { ferry } from '../../client';
import { Digest } from '../../components/Digest';
import { SignedDecisionDialog } from '../../domain/people/SignedDecisionDialog';

export interface OverrideDialogProps {
  open: boolean;
  dir: string;
  fingerprint: string;
  onClose: () => void;
  onRecorded: (seq: number) => void;
}

/** An override of the untrusted signer, once, as the design allows: a reason, and an enrolled officer's signed approval. */
export function OverrideDialog({ open, dir, fingerprint, onClose, onRecorded }: OverrideDialogProps) {
  return (
    <SignedDecisionDialog
      open={open}
      title="Import once without trusting the key"
      explanation="The signature is valid but made with a key this site does not trust. An enrolled officer may approve importing this one bundle anyway, with a reason; the override and their signature are recorded in the ledger. The key is not trusted for any other bundle, and damaged volumes are still refused."
      reason={{
        required: true,
        maxLength: 2000,
        helperText: 'Why this bundle must come in before its key is trusted, e.g. fingerprint confirmed by phone with the exporting site',
      }}
      signerLabel="Approved by"
      submitLabel="Approve override"
      busyLabel="Recording…"
      color="warning"
      failureTitle="The override was not recorded"
      onClose={onClose}
      decide={async (reason, as) => onRecorded((await ferry().call('import.override', { dir, reason, as })).seq)}
    >
      <Digest value={fingerprint} label="fingerprint of the untrusted signer" grouped />
    </SignedDecisionDialog>
  );
}

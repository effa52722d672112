import type { TrustedKeyRecord } from '../../../../shared/rpc.js';
import { ferry } from '../../client';
import { Digest } from '../../components/Digest';
import { SignedDecisionDialog } from '../../domain/people/SignedDecisionDialog';

export interface RevokeKeyDialogProps {
  /** The key to revoke; null when closed. */
  record: TrustedKeyRecord | null;
  onClose: () => void;
  onRevoked: (seq: number) => void;
}

/** key.revoked: trust in a key withdrawn, with the reason, recorded in the ledger. */
export function RevokeKeyDialog({ record, onClose, onRevoked }: RevokeKeyDialogProps) {
  return (
    <SignedDecisionDialog
      open={record !== null}
      title="Revoke a trusted key"
      explanation={`From now on, bundles signed by ${record?.name ?? 'this key'} are refused at import, whatever they carry. The revocation, its reason and the signature of the person revoking are recorded in the ledger.`}
      reason={{ required: true, maxLength: 500, helperText: 'Why trust is withdrawn, e.g. laptop stolen on 1 December, site decommissioned' }}
      signerLabel="Revoked by"
      submitLabel="Revoke key"
      busyLabel="Revoking…"
      color="error"
      failureTitle="The key was not revoked"
      onClose={onClose}
      decide={async (reason, as) => {
        if (record) onRevoked((await ferry().call('keys.revoke', { fingerprint: record.fingerprint, reason, as })).seq);
      }}
    >
      {record && <Digest value={record.fingerprint} label="fingerprint of the key to revoke" grouped />}
    </SignedDecisionDialog>
  );
}

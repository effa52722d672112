import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import type { SignAs } from '../../../../shared/rpc.js';
import { EMPTY_SIGN_AS, SignAsFields } from './SignAsFields';

export interface OptionalSignatureProps {
  /** null: not signed. */
  value: SignAs | null;
  onChange: (value: SignAs | null) => void;
  /** The checkbox: "The receiver signs for the media". */
  offer: string;
  /** Who signs, for the person field: "Receiver", "Witness". */
  label: string;
  disabled?: boolean;
}

/** A record a person may sign: tick it, choose the enrolled person, and they type their passphrase. */
export function OptionalSignature({ value, onChange, offer, label, disabled }: OptionalSignatureProps) {
  return (
    <Stack spacing={1.5}>
      <FormControlLabel
        control={<Checkbox checked={value !== null} onChange={(e) => onChange(e.target.checked ? EMPTY_SIGN_AS : null)} disabled={disabled} />}
        label={offer}
      />
      {value && <SignAsFields value={value} onChange={onChange} label={label} {...(disabled !== undefined ? { disabled } : {})} />}
    </Stack>
  );
}

/** Why a record cannot go yet because of its signature, or null. */
export const signatureProblem = (value: SignAs | null, who: string) =>
  value === null ? null : !value.name ? `Choose the ${who} who signs.` : !value.passphrase ? `The ${who} types their passphrase.` : null;

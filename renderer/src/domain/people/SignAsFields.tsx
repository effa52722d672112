import Alert from '@mui/material/Alert';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { SignAs } from '../../../../shared/rpc.js';
import { sameName } from '../approval/approvals';
import { activeOnly, usePeople } from './api';

export interface SignAsFieldsProps {
  value: SignAs;
  onChange: (value: SignAs) => void;
  /** What the person does, for the field's label: "Approver", "Revoked by". */
  label: string;
  /** People who may not sign this (the requester of what is approved). */
  exclude?: readonly string[];
  /** Why someone is excluded, under the list. */
  excludedWhy?: string;
  disabled?: boolean;
}

export const EMPTY_SIGN_AS: SignAs = { name: '', passphrase: '' };

export const signAsReady = (value: SignAs) => value.name.trim() !== '' && value.passphrase !== '';

/**
 * Who decides, from the people enrolled here, and their passphrase: it opens their personal key,
 * which signs the decision. The passphrase is sent once with the decision and never kept.
 */
export function SignAsFields({ value, onChange, label, exclude = [], excludedWhy, disabled }: SignAsFieldsProps) {
  const people = usePeople();
  const eligible = activeOnly(people.data?.people).filter((p) => !exclude.some((name) => sameName(name, p.name)));
  if (people.isSuccess && eligible.length === 0) {
    return (
      <Alert severity="warning">
        Nobody {exclude.length > 0 ? 'else ' : ''}is enrolled to sign this. Enrol people with their own passphrase in Settings, under People.
      </Alert>
    );
  }
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
      <TextField
        select
        label={label}
        value={eligible.some((p) => p.name === value.name) ? value.name : ''}
        onChange={(e) => onChange({ name: e.target.value, passphrase: '' })}
        required
        disabled={disabled || !people.isSuccess}
        helperText={excludedWhy ?? 'An enrolled person, who signs with their own passphrase.'}
        sx={{ minWidth: 260 }}
      >
        {eligible.map((p) => (
          <MenuItem key={p.fingerprint} value={p.name}>
            {p.name}
            {p.role ? ` (${p.role})` : ''}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        label={value.name ? `Passphrase of ${value.name}` : 'Passphrase'}
        type="password"
        value={value.passphrase}
        onChange={(e) => onChange({ ...value, passphrase: e.target.value })}
        required
        disabled={disabled}
        helperText={value.name ? `${value.name} types it; it is not stored.` : 'Typed by the person chosen; it is not stored.'}
        slotProps={{ htmlInput: { autoComplete: 'off', maxLength: 1024 } }}
        sx={{ minWidth: 260 }}
      />
    </Stack>
  );
}

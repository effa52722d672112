import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { DiscMedium } from '../importState';

/** The disc in the drive, as the officer records it with the copy: its id, label and seal (optional, cleared after each disc). */
export function DiscMediumFields({ value, onChange, disabled }: { value: DiscMedium; onChange: (value: DiscMedium) => void; disabled: boolean }) {
  const labelWithoutId = Boolean((value.label.trim() || value.seal.trim()) && !value.id.trim());
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
      <TextField
        label="Disc ID"
        value={value.id}
        onChange={(e) => onChange({ ...value, id: e.target.value })}
        disabled={disabled}
        error={labelWithoutId}
        helperText={labelWithoutId ? 'Give the disc ID too.' : 'Serial number or asset tag (optional)'}
        slotProps={{ htmlInput: { maxLength: 120 } }}
        fullWidth
      />
      <TextField
        label="Disc label"
        value={value.label}
        onChange={(e) => onChange({ ...value, label: e.target.value })}
        disabled={disabled}
        helperText="As written on the disc, e.g. Disc 2 of 5"
        slotProps={{ htmlInput: { maxLength: 200 } }}
        fullWidth
      />
      <TextField
        label="Seal number"
        value={value.seal}
        onChange={(e) => onChange({ ...value, seal: e.target.value })}
        disabled={disabled}
        helperText="The tamper-evident seal on its sleeve"
        slotProps={{ htmlInput: { maxLength: 120 } }}
        fullWidth
      />
    </Stack>
  );
}
